-- The in-flight set's member for a message held under a lease: its id and its lease token, separated by a space (ids
-- hold no whitespace). The token lives in the member, so holding a lease is one ZSCORE and no hash keeps tokens.
local function lease_member(id, token)
  return id .. ' ' .. token
end
-- The id of an in-flight member (a member without a token, left by a foreign writer, is its own id).
local function id_of_member(member)
  return string.match(member, '^(%S+) ') or member
end
