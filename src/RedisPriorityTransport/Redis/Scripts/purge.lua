-- Deletes every message of the queue (ready, delayed and in flight); the sequence and lease counters stay.
-- KEYS, in this order (the script reads them as q.<name>):
--@keys ready delayed inflight messages tokens deliveries
-- ARGV[1] unused (kept so every script has an ARGV[1])
-- Returns: the number of messages deleted.
local count = redis.call('HLEN', q.messages)
redis.call('UNLINK', q.ready, q.delayed, q.inflight, q.messages, q.tokens, q.deliveries)
return count
