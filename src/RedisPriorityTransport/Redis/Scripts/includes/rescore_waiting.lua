--@include includes/score_of
--@include includes/build_record
--@include includes/parse_record
-- Gives a waiting (ready or delayed) message a new urgency, and a new rank and event type when given (nil keeps them). It keeps its enqueue sequence, so
-- within its new class it stands where its enqueue order puts it (a delayed one takes that place when it is due).
-- Returns the record as it was and whether it was ready; or nil and 'not_waiting' / 'unreadable', changing nothing.
local function rescore_waiting(q, id, urgency, rank, event_type)
  local in_ready = redis.call('ZSCORE', q.ready, id)
  if not in_ready and not redis.call('ZSCORE', q.delayed, id) then
    return nil, 'not_waiting'
  end
  local m = parse_record(redis.call('HGET', q.messages, id))
  if not m then
    return nil, 'unreadable'
  end
  rank = rank or m.r
  redis.call('HSET', q.messages, id, build_record(urgency, rank, m.s, m.t, event_type or m.e, m.h, m.body))
  if in_ready then
    redis.call('ZADD', q.ready, 'XX', score_of(urgency, rank, m.s), id)
  end
  return m, in_ready ~= false
end
