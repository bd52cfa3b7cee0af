-- Deletes a message that is in flight under the given lease token.
-- KEYS[1..8] the queue: ready, delayed, in flight, sequence, lease counter, messages, tokens, deliveries
-- ARGV[1] id    ARGV[2] lease token
-- Returns: 1 when deleted, 0 when the lease is not held (expired and taken by someone else, or already settled).
--@include _common
return acknowledge(queue_keys(), ARGV[1], ARGV[2])
