-- Reads the counts of a queue in one consistent snapshot.
-- KEYS, in this order (the script reads them as q.<name>):
--@keys ready delayed inflight messages error.ready skipped.ready
-- ARGV[1] unused (kept so every script has an ARGV[1])
-- Returns: { now ms, in flight, delayed, ready count for urgency 10 down to 0 (11 values),
--            oldest enqueue ms for the high, normal and low bands (-1 when empty),
--            then the error and skipped depths }
--@include includes/now_ms
--@include includes/append_ready_counts
local out = { now_ms(), redis.call('ZCARD', q.inflight), redis.call('ZCARD', q.delayed) }
append_ready_counts(q.ready, q.messages, out)
out[#out + 1] = redis.call('ZCARD', q.error.ready)
out[#out + 1] = redis.call('ZCARD', q.skipped.ready)
return out
