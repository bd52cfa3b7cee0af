-- Reserves up to N ready messages in priority order under a lease. First acknowledges the finished messages it is
-- given (so a consumer settles and refills its slots in one round trip), reclaims expired leases (back to ready at
-- their original place, or to the error queue past the maximum delivery count) and promotes due delayed messages.
-- KEYS[1..8] the queue: ready, delayed, in flight, sequence, lease counter, messages, tokens, deliveries
-- KEYS[9..11] the error queue: ready, sequence, messages
-- ARGV[1] max messages    ARGV[2] lease ms    ARGV[3] max delivery count    ARGV[4] reason header
-- ARGV[5] housekeeping limit (expired leases and due messages handled per call)
-- ARGV[6] number of messages to acknowledge first (A)    ARGV[7..6+2A] pairs: id, lease token
-- Returns: { next delayed due in ms (-1 if none), now ms, lease expiry ms, returned count, dead-lettered count,
--            A, then per acknowledgement 1 (deleted) or 0 (lease no longer held),
--            then per message: id, record, delivery count, lease token }
--@include _common
--@include _reclaim
local q = queue_keys()
local max_messages, lease_ms, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[5])
local now = now_ms()

local acknowledged = {}
local ack_count = tonumber(ARGV[6] or '0')
for i = 1, ack_count do
  acknowledged[i] = acknowledge(q, ARGV[5 + 2 * i], ARGV[6 + 2 * i])
end

local returned, dead = reclaim_expired(q, tonumber(ARGV[3]), target_keys(9), ARGV[4], now, limit)
if type(returned) == 'table' then return returned end
local err = promote_due(q.ready, q.delayed, q.sequence, q.messages, now, limit)
if err then return err end

local expiry = now + lease_ms
local out = { -1, now, expiry, returned, dead, ack_count }
for i = 1, ack_count do
  out[#out + 1] = acknowledged[i]
end
if max_messages > 0 then
  local popped = redis.call('ZPOPMIN', q.ready, max_messages)
  -- One INCRBY hands out the lease tokens of the whole batch (last_token - #popped / 2 + 1 .. last_token).
  local token = #popped > 0 and redis.call('INCRBY', q.lease, #popped / 2) - #popped / 2 or 0
  for i = 1, #popped, 2 do
    local id = popped[i]
    local record = redis.call('HGET', q.messages, id)
    token = token + 1
    -- A member without its record was left by a foreign writer; there is nothing to deliver.
    if record then
      redis.call('HSET', q.tokens, id, token)
      redis.call('ZADD', q.inflight, expiry, id)
      out[#out + 1] = id
      out[#out + 1] = record
      out[#out + 1] = redis.call('HINCRBY', q.deliveries, id, 1)
      out[#out + 1] = token
    end
  end
end
local head = redis.call('ZRANGE', q.delayed, 0, 0, 'WITHSCORES')
if #head > 0 then
  out[1] = math.max(0, tonumber(head[2]) - now)
end
return out
