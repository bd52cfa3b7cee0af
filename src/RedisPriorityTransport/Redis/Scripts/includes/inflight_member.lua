--@include includes/lease_member
-- Finds a message in flight by id: its member and lease expiry, or nil. A pass over the in-flight set (as many members
-- as messages being handled); only operators' lookups use it, never the delivery path.
local function inflight_member(q, id)
  local members = redis.call('ZRANGE', q.inflight, 0, -1, 'WITHSCORES')
  for i = 1, #members, 2 do
    if id_of_member(members[i]) == id then return members[i], members[i + 1] end
  end
  return nil
end
