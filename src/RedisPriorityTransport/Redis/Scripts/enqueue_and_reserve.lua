-- Enqueues messages (as enqueue does) and then reserves for a consumer of this queue that is waiting in the sending
-- process (as reserve does, without acknowledgements): the consumer gets the messages in the enqueue's own round trip,
-- with no wake-up notification and no reserve call of its own. The reserve takes the most important ready messages,
-- whichever call brought them, so the priority order is the one a reserve call would see.
-- KEYS, in this order (the script reads them as q.<name>):
--@keys ready delayed inflight sequence messages deliveries settled control error.ready error.sequence error.messages
-- ARGV[1] wake channel    ARGV[2] number of messages (M)
-- ARGV[3..2+7M] groups of 7 as in enqueue
-- ARGV[3+7M..] reserve's ARGV with no acknowledgements: max messages, lease ms, max delivery count, reason header,
--   housekeeping limit, 0, duplicate detection window ms, lease token prefix, first token counter
-- Returns: M integers as enqueue returns them, then reserve's reply; or, when the reserve failed after the messages were
--   enqueued, M integers and then the error's text (a string where reserve's reply starts with an integer).
-- Other consumers are woken only for what the waiting one left: when the ready set gained messages from empty and is
-- still not empty, or a message became the earliest delayed one.
--@include includes/now_ms
--@include includes/enqueue_messages
--@include includes/reserve_messages
local now = now_ms()
local count = tonumber(ARGV[2])
local last = 2 + 7 * count
local results, woke_ready, new_delayed_head = enqueue_messages(q, ARGV, 3, last, now)
if not results then return woke_ready end
local out, err = reserve_messages(q, ARGV, last, now)
if (woke_ready and redis.call('ZCARD', q.ready) > 0) or new_delayed_head then
  redis.call('PUBLISH', ARGV[1], 'w')
end
if not out then
  results[#results + 1] = err.err or tostring(err)
  return results
end
for i = 1, #out do
  results[#results + 1] = out[i]
end
return results
