-- Reserves up to N ready messages in priority order under a lease. First promotes due delayed messages and reclaims
-- expired leases (back to ready at their original place, or to the error queue past the maximum delivery count).
-- KEYS[1] ready    KEYS[2] delayed    KEYS[3] in flight    KEYS[4] sequence    KEYS[5] lease counter
-- KEYS[6] error queue ready    KEYS[7] error queue sequence
-- ARGV[1] message key prefix    ARGV[2] max messages    ARGV[3] lease ms    ARGV[4] max delivery count
-- ARGV[5] error queue message key prefix    ARGV[6] reason header    ARGV[7] housekeeping limit
-- Returns: { next delayed due in ms (-1 if none), now ms, lease expiry ms, returned count, dead-lettered count,
--            then per message: id, body, packed headers, urgency, event type, sequence, enqueued ms, delivery count, token }
--@include _common
--@include _reclaim
local ready_key, delayed_key, inflight_key, sequence_key, lease_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local prefix, max_messages, lease_ms = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local limit = tonumber(ARGV[7])
local now = now_ms()

local returned, dead = reclaim_expired(ready_key, inflight_key, sequence_key, prefix, tonumber(ARGV[4]),
  ARGV[5], KEYS[6], KEYS[7], ARGV[6], now, limit)
if type(returned) == 'table' then return returned end
local promoted = promote_due(ready_key, delayed_key, sequence_key, prefix, now, limit)
if type(promoted) == 'table' then return promoted end

local expiry = now + lease_ms
local out = { -1, now, expiry, returned, dead }
if max_messages > 0 then
  local popped = redis.call('ZPOPMIN', ready_key, max_messages)
  for i = 1, #popped, 2 do
    local id = popped[i]
    local key = prefix .. id
    -- A member without its hash (or whose key holds foreign data) is an orphan: there is nothing to deliver, and
    -- the foreign key is left alone. A hash with missing fields is delivered; the client names what is missing.
    if is_message(key) then
      local token = redis.call('INCR', lease_key)
      local deliveries = deliveries_of(key) + 1
      redis.call('HSET', key, 'k', token, 'd', deliveries)
      redis.call('ZADD', inflight_key, expiry, id)
      local f = redis.call('HMGET', key, 'b', 'h', 'u', 'e', 's', 't')
      out[#out + 1] = id
      out[#out + 1] = f[1] or ''
      out[#out + 1] = f[2] or ''
      out[#out + 1] = f[3]
      out[#out + 1] = f[4] or ''
      out[#out + 1] = f[5]
      out[#out + 1] = f[6]
      out[#out + 1] = deliveries
      out[#out + 1] = token
    end
  end
end
local head = redis.call('ZRANGE', delayed_key, 0, 0, 'WITHSCORES')
if #head > 0 then
  out[1] = math.max(0, tonumber(head[2]) - now)
end
return out
