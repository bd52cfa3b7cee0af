--@include includes/lease_member
-- Ends the lease of a message in flight under this token by removing its in-flight member. True when the lease was
-- held: the member carries the token, so the removal is also the check.
local function end_lease(q, id, token)
  return redis.call('ZREM', q.inflight, lease_member(id, token)) == 1
end
