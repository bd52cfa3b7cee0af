--@include includes/forget_delivery
--@include includes/remember_settled
--@include includes/end_lease
-- Deletes a message in flight under the lease token, remembering its id for window_ms. Returns 1, or 0 when the
-- lease is no longer held.
local function acknowledge(q, id, token, window_ms, now)
  if not end_lease(q, id, token) then
    return 0
  end
  redis.call('HDEL', q.messages, id)
  forget_delivery(q.deliveries, id)
  remember_settled(q, id, window_ms, now)
  return 1
end
