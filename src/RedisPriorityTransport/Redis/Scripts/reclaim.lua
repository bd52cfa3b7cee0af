-- Reclaims expired leases without reserving anything (see _reclaim.lua).
-- KEYS[1..9] the queue: ready, delayed, in flight, sequence, lease counter, messages, tokens, deliveries, settled
-- KEYS[10..12] the error queue: ready, sequence, messages
-- ARGV[1] max delivery count    ARGV[2] reason header    ARGV[3] limit    ARGV[4] wake channel
-- ARGV[5] duplicate detection window ms (0 = off)
-- Returns: { returned, dead-lettered }
--@include includes/now_ms
--@include includes/queue_keys
--@include includes/target_keys
--@include includes/reclaim_expired
local q = queue_keys()
local was_empty = redis.call('ZCARD', q.ready) == 0
local returned, dead = reclaim_expired(q, tonumber(ARGV[1]), target_keys(10), ARGV[2], now_ms(), tonumber(ARGV[3]),
  tonumber(ARGV[5]))
if type(returned) == 'table' then return returned end
if was_empty and returned > 0 then redis.call('PUBLISH', ARGV[4], 'w') end
return { returned, dead }
