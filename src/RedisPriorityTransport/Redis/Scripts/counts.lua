-- Reads the counts of a queue in one consistent snapshot.
-- KEYS[1..8] the queue: ready, delayed, in flight, sequence, lease counter, messages, tokens, deliveries
-- ARGV[1] unused (kept so every script has an ARGV[1])
-- Returns: { now ms, in flight, delayed, ready count for urgency 10 down to 0 (11 values),
--            oldest enqueue ms for the high, normal and low bands (-1 when empty) }
--@include _common
--@include _ready_counts
local q = queue_keys()
local out = { now_ms(), redis.call('ZCARD', q.inflight), redis.call('ZCARD', q.delayed) }
append_ready_counts(q.ready, q.messages, out)
return out
