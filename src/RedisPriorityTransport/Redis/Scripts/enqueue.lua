-- Enqueues one or more messages atomically, skipping ids already waiting, delayed or in flight, or settled within
-- the queue's duplicate detection window (see remember_settled).
-- KEYS, in this order (the script reads them as q.<name>):
--@keys ready delayed sequence messages settled
-- ARGV[1] wake channel
-- ARGV[2..] groups of 7: id, body, packed headers, urgency (0..10), rank (0..255), event type ('' for none), delay ms (0 = ready now)
-- Returns: one integer per message, 1 = added, 0 = duplicate.
--@include includes/now_ms
--@include includes/score_of
--@include includes/next_sequence
--@include includes/build_record
--@include includes/is_known
local now = now_ms()
local ready_was_empty = redis.call('ZCARD', q.ready) == 0
local added_ready, new_delayed_head = false, false
local results = {}
for i = 2, #ARGV, 7 do
  local id = ARGV[i]
  if is_known(q, id, now) then
    results[#results + 1] = 0
  else
    local urgency, rank, event_type, delay = ARGV[i + 3], ARGV[i + 4], ARGV[i + 5], tonumber(ARGV[i + 6])
    if delay > 0 then
      -- The sequence is taken when the message becomes due, so scheduled messages queue up in due order.
      local due = now + delay
      local head = redis.call('ZRANGE', q.delayed, 0, 0, 'WITHSCORES')
      if #head == 0 or tonumber(head[2]) > due then new_delayed_head = true end
      redis.call('HSET', q.messages, id, build_record(urgency, rank, 0, now, event_type, ARGV[i + 2], ARGV[i + 1]))
      redis.call('ZADD', q.delayed, due, id)
    else
      local s = next_sequence(q.sequence)
      if type(s) == 'table' then return s end
      redis.call('HSET', q.messages, id, build_record(urgency, rank, s, now, event_type, ARGV[i + 2], ARGV[i + 1]))
      redis.call('ZADD', q.ready, score_of(urgency, rank, s), id)
      added_ready = true
    end
    results[#results + 1] = 1
  end
end
if (added_ready and ready_was_empty) or new_delayed_head then
  redis.call('PUBLISH', ARGV[1], 'w')
end
return results
