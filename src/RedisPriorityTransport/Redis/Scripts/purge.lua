-- Deletes every message of the queue (ready, delayed and in flight); the sequence and lease counters stay.
-- KEYS[1..9] the queue: ready, delayed, in flight, sequence, lease counter, messages, tokens, deliveries, settled
-- ARGV[1] unused (kept so every script has an ARGV[1])
-- Returns: the number of messages deleted.
local count = redis.call('HLEN', KEYS[6])
redis.call('UNLINK', KEYS[1], KEYS[2], KEYS[3], KEYS[6], KEYS[7], KEYS[8])
return count
