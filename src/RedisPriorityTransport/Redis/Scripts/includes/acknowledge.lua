--@include includes/forget_delivery
--@include includes/remember_settled
--@include includes/end_lease
-- Deletes a message in flight under the lease token, remembering its id for window_ms. Returns 1, or 0 when the
-- lease is no longer held. any_redelivered: false when the deliveries hash does not exist (nothing to forget).
local function acknowledge(q, id, token, window_ms, now, any_redelivered)
  if not end_lease(q, id, token) then
    return 0
  end
  redis.call('HDEL', q.messages, id)
  if any_redelivered ~= false then forget_delivery(q.deliveries, id) end
  remember_settled(q, id, window_ms, now)
  return 1
end
