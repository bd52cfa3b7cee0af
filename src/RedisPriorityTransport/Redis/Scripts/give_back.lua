-- Gives back the messages of one reserve whose reply never reached the client (a timeout, a lost connection, a reply
-- it could not read): each goes back to the ready set at its original place and its delivery is not counted, since no
-- consumer got it. The client names the reserve by the lease tokens it asked for; the messages are found by token
-- (in their in-flight members).
-- KEYS, in this order (the script reads them as q.<name>):
--@keys ready inflight sequence messages
-- ARGV[1] lease token prefix    ARGV[2] first token counter    ARGV[3] number of tokens    ARGV[4] wake channel
-- Returns: how many messages were given back.
--@include includes/make_ready
local prefix, first, count = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local was_empty = redis.call('ZCARD', q.ready) == 0
local given = 0
-- One pass over the in-flight set, whose members carry the lease tokens; this runs only after a failed reserve.
local members = redis.call('ZRANGE', q.inflight, 0, -1)
for _, member in ipairs(members) do
  local id, token = string.match(member, '^(%S+) (%S+)$')
  if token and #token == #prefix + 9 and string.sub(token, 1, #prefix) == prefix then
    local n = tonumber(string.sub(token, #prefix + 1))
    if n and n >= first and n < first + count then
      redis.call('ZREM', q.inflight, member)
      local err = make_ready(q.ready, q.sequence, q.messages, id)
      if err then return err end
      given = given + 1
    end
  end
end
if given > 0 and was_empty then redis.call('PUBLISH', ARGV[4], 'w') end
return given
