-- Gives back the messages of one reserve whose reply never reached the client (a timeout, a lost connection, a reply
-- it could not read): each goes back to the ready set at its original place and its delivery is not counted, since no
-- consumer got it. The client names the reserve by the lease tokens it asked for; the messages are found by token.
-- KEYS, in this order (the script reads them as q.<name>):
--@keys ready inflight sequence messages tokens deliveries
-- ARGV[1] lease token prefix    ARGV[2] first token counter    ARGV[3] number of tokens    ARGV[4] wake channel
-- Returns: how many messages were given back.
--@include includes/make_ready
local prefix, first, count = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local was_empty = redis.call('ZCARD', q.ready) == 0
local given = 0
-- One pass over the lease tokens (as many as messages in flight); this runs only after a failed reserve.
local tokens = redis.call('HGETALL', q.tokens)
for i = 1, #tokens, 2 do
  local id, token = tokens[i], tokens[i + 1]
  if #token == #prefix + 9 and string.sub(token, 1, #prefix) == prefix then
    local n = tonumber(string.sub(token, #prefix + 1))
    if n and n >= first and n < first + count and redis.call('ZSCORE', q.inflight, id) then
      redis.call('ZREM', q.inflight, id)
      redis.call('HDEL', q.tokens, id)
      if redis.call('HINCRBY', q.deliveries, id, -1) <= 0 then redis.call('HDEL', q.deliveries, id) end
      local err = make_ready(q.ready, q.sequence, q.messages, id)
      if err then return err end
      given = given + 1
    end
  end
end
if given > 0 and was_empty then redis.call('PUBLISH', ARGV[4], 'w') end
return given
