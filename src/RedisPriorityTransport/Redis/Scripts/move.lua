-- Moves a message held under a lease to another queue of the same hash tag (its error or skipped queue),
-- keeping its priority and body and adding the reason and extra headers.
-- KEYS[1..8] the queue: ready, delayed, in flight, sequence, lease counter, messages, tokens, deliveries
-- KEYS[9..11] the destination queue: ready, sequence, messages
-- ARGV[1] id    ARGV[2] lease token    ARGV[3] reason header    ARGV[4] reason    ARGV[5] extra packed headers
-- ARGV[6] destination wake channel    ARGV[7] '1' to keep the whole stored record as the new body (the client could not read it)
-- Returns: the id in the destination, or false when the lease is not held.
--@include _common
local q = queue_keys()
local dest = target_keys(9)
local id = ARGV[1]
if not holds_lease(q, id, ARGV[2]) then
  return false
end
redis.call('ZREM', q.inflight, id)
forget_delivery(q.tokens, q.deliveries, id)
local was_empty = redis.call('ZCARD', dest.ready) == 0
local moved = move_message(q.messages, id, dest.messages, dest.ready, dest.sequence, ARGV[3], ARGV[4], ARGV[5], now_ms(), ARGV[7] == '1')
if type(moved) == 'table' then return moved end
if was_empty then redis.call('PUBLISH', ARGV[6], 'w') end
return moved
