-- Deletes a message that is in flight under the given lease token.
-- KEYS[1..8] the queue: ready, delayed, in flight, sequence, lease counter, messages, tokens, deliveries
-- ARGV[1] id    ARGV[2] lease token
-- Returns: 1 when deleted, 0 when the lease is not held (expired and taken by someone else, or already settled).
--@include _common
local q = queue_keys()
local id = ARGV[1]
if not holds_lease(q, id, ARGV[2]) then
  return 0
end
redis.call('ZREM', q.inflight, id)
redis.call('HDEL', q.messages, id)
forget_delivery(q.tokens, q.deliveries, id)
return 1
