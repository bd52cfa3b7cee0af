-- Deletes a message that is in flight under the given lease token.
-- KEYS[1] in flight
-- ARGV[1] message key prefix    ARGV[2] id    ARGV[3] lease token
-- Returns: 1 when deleted, 0 when the lease is not held (expired and taken by someone else, or already settled).
local key = ARGV[1] .. ARGV[2]
if redis.call('HGET', key, 'k') ~= ARGV[3] or not redis.call('ZSCORE', KEYS[1], ARGV[2]) then
  return 0
end
redis.call('DEL', key)
redis.call('ZREM', KEYS[1], ARGV[2])
return 1
