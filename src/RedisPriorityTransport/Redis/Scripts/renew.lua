-- Extends the leases of messages still held under their lease tokens.
-- KEYS, in this order (the script reads them as q.<name>):
--@keys inflight
-- ARGV[1] lease ms    ARGV[2..] pairs: id, lease token
-- Returns: { new expiry ms, then 1 or 0 per pair (0 = lease lost) }
--@include includes/now_ms
--@include includes/holds_lease
local expiry = now_ms() + tonumber(ARGV[1])
local out = { expiry }
for i = 2, #ARGV, 2 do
  local id = ARGV[i]
  if holds_lease(q, id, ARGV[i + 1]) then
    redis.call('ZADD', q.inflight, 'XX', expiry, lease_member(id, ARGV[i + 1]))
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
return out
