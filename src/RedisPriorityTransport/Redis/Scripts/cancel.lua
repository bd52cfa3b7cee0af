-- Removes a waiting (ready or delayed) message. A message in flight is not cancelled.
-- KEYS, in this order (the script reads them as q.<name>):
--@keys ready delayed messages deliveries settled
-- ARGV[1] id    ARGV[2] duplicate detection window ms (0 = off)
-- Returns: 1 when removed, 0 when the message is not waiting.
--@include includes/now_ms
--@include includes/remember_settled
--@include includes/take_waiting
local id = ARGV[1]
if not take_waiting(q, id) then
  return 0
end
remember_settled(q, id, tonumber(ARGV[2]), now_ms())
return 1
