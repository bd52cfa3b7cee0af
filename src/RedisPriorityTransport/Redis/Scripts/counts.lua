-- Reads the counts of a queue in one consistent snapshot.
-- KEYS[1..9] the queue: ready, delayed, in flight, sequence, lease counter, messages, tokens, deliveries, settled
-- KEYS[10..11] optional: the ready sets of the queue's error and skipped queues
-- ARGV[1] unused (kept so every script has an ARGV[1])
-- Returns: { now ms, in flight, delayed, ready count for urgency 10 down to 0 (11 values),
--            oldest enqueue ms for the high, normal and low bands (-1 when empty),
--            then, when KEYS[10..11] are given, the error and skipped depths }
--@include includes/now_ms
--@include includes/queue_keys
--@include includes/append_ready_counts
local q = queue_keys()
local out = { now_ms(), redis.call('ZCARD', q.inflight), redis.call('ZCARD', q.delayed) }
append_ready_counts(q.ready, q.messages, out)
if KEYS[11] then
  out[#out + 1] = redis.call('ZCARD', KEYS[10])
  out[#out + 1] = redis.call('ZCARD', KEYS[11])
end
return out
