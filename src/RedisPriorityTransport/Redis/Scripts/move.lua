-- Moves a message held under a lease to another queue of the same hash tag (its error or skipped queue),
-- keeping its priority and body and adding the reason and extra headers.
-- KEYS[1] source in flight    KEYS[2] destination ready    KEYS[3] destination sequence
-- ARGV[1] source message key prefix    ARGV[2] id    ARGV[3] lease token    ARGV[4] destination message key prefix
-- ARGV[5] reason header    ARGV[6] reason    ARGV[7] extra packed headers    ARGV[8] destination wake channel
-- Returns: the id in the destination, or false when the lease is not held.
--@include _common
local id = ARGV[2]
local key = ARGV[1] .. id
if redis.call('HGET', key, 'k') ~= ARGV[3] or not redis.call('ZSCORE', KEYS[1], id) then
  return false
end
redis.call('ZREM', KEYS[1], id)
local was_empty = redis.call('ZCARD', KEYS[2]) == 0
local moved = move_message(key, id, ARGV[4], KEYS[2], KEYS[3], ARGV[5], ARGV[6], ARGV[7], now_ms())
if type(moved) == 'table' then return moved end
if was_empty then redis.call('PUBLISH', ARGV[8], 'w') end
return moved
