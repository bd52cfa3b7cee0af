--@include includes/inflight_member
-- Where a message of the queue is: ready, delayed, inflight, error, skipped, or none.
local function state_of(q, id)
  if redis.call('ZSCORE', q.ready, id) then return 'ready' end
  if redis.call('ZSCORE', q.delayed, id) then return 'delayed' end
  if inflight_member(q, id) then return 'inflight' end
  if redis.call('HEXISTS', q.error.messages, id) == 1 then return 'error' end
  if redis.call('HEXISTS', q.skipped.messages, id) == 1 then return 'skipped' end
  return 'none'
end
