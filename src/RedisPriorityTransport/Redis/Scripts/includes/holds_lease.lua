--@include includes/lease_member
-- True when the message is in flight under this lease token.
local function holds_lease(q, id, token)
  return redis.call('ZSCORE', q.inflight, lease_member(id, token)) ~= false
end
