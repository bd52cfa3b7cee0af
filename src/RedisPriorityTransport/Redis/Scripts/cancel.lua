-- Removes a waiting (ready or delayed) message. A message in flight is not cancelled.
-- KEYS[1..9] the queue: ready, delayed, in flight, sequence, lease counter, messages, tokens, deliveries, settled
-- ARGV[1] id    ARGV[2] duplicate detection window ms (0 = off)
-- Returns: 1 when removed, 0 when the message is not waiting.
--@include includes/now_ms
--@include includes/queue_keys
--@include includes/remember_settled
--@include includes/take_waiting
local q = queue_keys()
local id = ARGV[1]
if not take_waiting(q, id) then
  return 0
end
remember_settled(q, id, tonumber(ARGV[2]), now_ms())
return 1
