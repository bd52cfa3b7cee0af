-- Moves a message held under a lease to another queue of the same hash tag (its error or skipped queue),
-- keeping its priority and body; the reason, the number of deliveries it is moved after (this one included) and extra
-- headers replace headers of the same name (a message moved again, from an error queue to its own, does not grow).
-- Its id is remembered for the duplicate detection window.
-- KEYS, in this order (the script reads them as q.<name>, the destination queue's as q.target.<name>):
--@keys inflight messages deliveries settled target.ready target.sequence target.messages
-- ARGV[1] id    ARGV[2] lease token    ARGV[3] reason header    ARGV[4] reason    ARGV[5] extra packed headers
-- ARGV[6] destination wake channel    ARGV[7] '1' to keep the whole stored record as the new body (the client could not read it)
-- ARGV[8] duplicate detection window ms (0 = off)
-- Returns: the id in the destination, or false when the lease is not held.
--@include includes/now_ms
--@include includes/forget_delivery
--@include includes/move_message
--@include includes/remember_settled
--@include includes/end_lease
local id = ARGV[1]
if not end_lease(q, id, ARGV[2]) then
  return false
end
-- The deliveries that ended unsettled and this one, which ends with the move.
local deliveries = tonumber(redis.call('HGET', q.deliveries, id) or '0') + 1
forget_delivery(q.deliveries, id)
local was_empty = redis.call('ZCARD', q.target.ready) == 0
local now = now_ms()
local moved = move_message(q.messages, id, q.target.messages, q.target.ready, q.target.sequence, ARGV[3], ARGV[4], ARGV[5], now, ARGV[7] == '1',
  deliveries)
if type(moved) == 'table' then return moved end
remember_settled(q, id, tonumber(ARGV[8]), now)
if was_empty then redis.call('PUBLISH', ARGV[6], 'w') end
return moved
