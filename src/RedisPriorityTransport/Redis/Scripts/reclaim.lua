-- Reclaims expired leases without reserving anything (see _reclaim.lua).
-- KEYS, in this order (the script reads them as q.<name>):
--@keys ready inflight sequence messages deliveries settled error.ready error.sequence error.messages
-- ARGV[1] max delivery count    ARGV[2] reason header    ARGV[3] limit    ARGV[4] wake channel
-- ARGV[5] duplicate detection window ms (0 = off)
-- Returns: { returned, dead-lettered }
--@include includes/now_ms
--@include includes/reclaim_expired
local was_empty = redis.call('ZCARD', q.ready) == 0
local returned, dead = reclaim_expired(q, tonumber(ARGV[1]), ARGV[2], now_ms(), tonumber(ARGV[3]), tonumber(ARGV[5]))
if type(returned) == 'table' then return returned end
if was_empty and returned > 0 then redis.call('PUBLISH', ARGV[4], 'w') end
return { returned, dead }
