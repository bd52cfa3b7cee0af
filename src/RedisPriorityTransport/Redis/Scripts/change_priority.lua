-- Changes the urgency and event type of a waiting (ready or delayed) message. It keeps its enqueue sequence, so
-- within its new class it stands where its enqueue order puts it.
-- KEYS[1..9] the queue: ready, delayed, in flight, sequence, lease counter, messages, tokens, deliveries, settled
-- ARGV[1] id    ARGV[2] urgency    ARGV[3] rank    ARGV[4] event type ('' for none)
-- Returns: 1 when changed, 0 when the message is not waiting or its record is unreadable.
--@include includes/score_of
--@include includes/build_record
--@include includes/parse_record
--@include includes/queue_keys
local q = queue_keys()
local id = ARGV[1]
local in_ready = redis.call('ZSCORE', q.ready, id)
if not in_ready and not redis.call('ZSCORE', q.delayed, id) then
  return 0
end
local m = parse_record(redis.call('HGET', q.messages, id))
if not m then
  return 0
end
redis.call('HSET', q.messages, id, build_record(ARGV[2], ARGV[3], m.s, m.t, ARGV[4], m.h, m.body))
if in_ready then
  redis.call('ZADD', q.ready, 'XX', score_of(ARGV[2], ARGV[3], m.s), id)
end
return 1
