-- Changes the urgency and event type of a waiting (ready or delayed) message. It keeps its enqueue sequence, so
-- within its new class it stands where its enqueue order puts it.
-- KEYS[1] ready    KEYS[2] delayed
-- ARGV[1] message key prefix    ARGV[2] id    ARGV[3] urgency    ARGV[4] rank    ARGV[5] event type ('' for none)
-- Returns: 1 when changed, 0 when the message is not waiting.
--@include _common
local id = ARGV[2]
local key = ARGV[1] .. id
local in_ready = redis.call('ZSCORE', KEYS[1], id)
if not in_ready and not redis.call('ZSCORE', KEYS[2], id) then
  return 0
end
redis.call('HSET', key, 'u', ARGV[3], 'r', ARGV[4])
if ARGV[5] == '' then redis.call('HDEL', key, 'e') else redis.call('HSET', key, 'e', ARGV[5]) end
if in_ready then
  redis.call('ZADD', KEYS[1], 'XX', score_of(ARGV[3], ARGV[4], redis.call('HGET', key, 's')), id)
end
return 1
