-- Removes a waiting (ready or delayed) message. A message in flight is not cancelled.
-- KEYS[1] ready    KEYS[2] delayed
-- ARGV[1] message key prefix    ARGV[2] id
-- Returns: 1 when removed, 0 when the message is not waiting.
local id = ARGV[2]
if redis.call('ZREM', KEYS[1], id) == 0 and redis.call('ZREM', KEYS[2], id) == 0 then
  return 0
end
redis.call('DEL', ARGV[1] .. id)
return 1
