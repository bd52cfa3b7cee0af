--@include includes/forget_delivery
-- Removes a waiting (ready or delayed) message from the queue. Returns where it was ('ready' or 'delayed') and its
-- stored record, or nil when it was not waiting (in flight, moved or gone), changing nothing.
local function take_waiting(q, id)
  local state = 'ready'
  if redis.call('ZREM', q.ready, id) == 0 then
    state = 'delayed'
    if redis.call('ZREM', q.delayed, id) == 0 then
      return nil
    end
  end
  local record = redis.call('HGET', q.messages, id)
  redis.call('HDEL', q.messages, id)
  forget_delivery(q.deliveries, id)
  return state, record
end
