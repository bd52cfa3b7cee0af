-- Changes the urgency and event type of a waiting (ready or delayed) message. It keeps its enqueue sequence, so
-- within its new class it stands where its enqueue order puts it.
-- KEYS, in this order (the script reads them as q.<name>):
--@keys ready delayed messages
-- ARGV[1] id    ARGV[2] urgency    ARGV[3] rank    ARGV[4] event type ('' for none)
-- Returns: 1 when changed, 0 when the message is not waiting or its record is unreadable.
--@include includes/rescore_waiting
if not rescore_waiting(q, ARGV[1], ARGV[2], ARGV[3], ARGV[4]) then
  return 0
end
return 1
