-- Reads what an operator sees of one queue, in one consistent snapshot: ready counts per urgency (one ZCOUNT on a
-- score range each, O(log N)), the enqueue time of the oldest ready message per band, the in-flight, delayed, error
-- and skipped depths, and the pause flag and rate limit. Never walks the messages.
-- KEYS, in this order (the script reads them as q.<name>):
--@keys ready delayed inflight sequence messages control audit error.ready skipped.ready
-- ARGV[1] unused (kept so every script has an ARGV[1])
-- Returns: { now ms, in flight, delayed, error, skipped, ready count for urgency 10 down to 0 (11 values),
--            oldest enqueue ms for the high, normal and low bands (-1 when empty), paused (1/0),
--            rate limit 'messages:interval ms' ('' for none), 1 when any key of the queue exists else 0 }
--@include includes/now_ms
--@include includes/append_ready_counts
local out = { now_ms(), redis.call('ZCARD', q.inflight), redis.call('ZCARD', q.delayed),
              redis.call('ZCARD', q.error.ready), redis.call('ZCARD', q.skipped.ready) }
append_ready_counts(q.ready, q.messages, out)
out[#out + 1] = redis.call('HGET', q.control, 'paused') and 1 or 0
out[#out + 1] = redis.call('HGET', q.control, 'rate') or ''
out[#out + 1] = redis.call('EXISTS', q.ready, q.delayed, q.inflight, q.sequence, q.messages, q.control, q.audit,
  q.error.ready, q.skipped.ready) > 0 and 1 or 0
return out
