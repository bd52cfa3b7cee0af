-- Extends the leases of messages still held under their tokens.
-- KEYS[1] in flight
-- ARGV[1] message key prefix    ARGV[2] lease ms    ARGV[3..] pairs: id, lease token
-- Returns: { new expiry ms, then 1 or 0 per pair (0 = lease lost) }
--@include _common
local expiry = now_ms() + tonumber(ARGV[2])
local out = { expiry }
for i = 3, #ARGV, 2 do
  local id = ARGV[i]
  if redis.call('HGET', ARGV[1] .. id, 'k') == ARGV[i + 1] and redis.call('ZSCORE', KEYS[1], id) then
    redis.call('ZADD', KEYS[1], 'XX', expiry, id)
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
return out
