-- True when the message is in flight under this lease token.
local function holds_lease(q, id, token)
  return redis.call('HGET', q.tokens, id) == token and redis.call('ZSCORE', q.inflight, id) ~= false
end
