-- Enqueues one or more messages atomically, skipping ids already waiting, delayed or in flight, or settled within
-- the queue's duplicate detection window (see remember_settled).
-- KEYS, in this order (the script reads them as q.<name>):
--@keys ready delayed sequence messages settled
-- ARGV[1] wake channel
-- ARGV[2..] groups of 7: id, body, packed headers, urgency (0..10), rank (0..255), event type ('' for none), delay ms (0 = ready now)
-- Returns: one integer per message, 1 = added, 0 = duplicate.
--@include includes/now_ms
--@include includes/enqueue_messages
local results, woke_ready, new_delayed_head = enqueue_messages(q, ARGV, 2, #ARGV, now_ms())
if not results then return woke_ready end
if woke_ready or new_delayed_head then
  redis.call('PUBLISH', ARGV[1], 'w')
end
return results
