-- Reclaims expired leases without reserving anything (see _reclaim.lua).
-- KEYS[1] ready    KEYS[2] in flight    KEYS[3] sequence    KEYS[4] error queue ready    KEYS[5] error queue sequence
-- ARGV[1] message key prefix    ARGV[2] max delivery count    ARGV[3] error queue message key prefix
-- ARGV[4] reason header    ARGV[5] limit    ARGV[6] wake channel
-- Returns: { returned, dead-lettered }
--@include _common
--@include _reclaim
local was_empty = redis.call('ZCARD', KEYS[1]) == 0
local returned, dead = reclaim_expired(KEYS[1], KEYS[2], KEYS[3], ARGV[1], tonumber(ARGV[2]), ARGV[3], KEYS[4],
  KEYS[5], ARGV[4], now_ms(), tonumber(ARGV[5]))
if type(returned) == 'table' then return returned end
if was_empty and returned > 0 then redis.call('PUBLISH', ARGV[6], 'w') end
return { returned, dead }
