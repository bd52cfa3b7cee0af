-- Enqueues one or more messages atomically, skipping ids already waiting, delayed or in flight.
-- KEYS[1..4] the queue: ready, delayed, sequence, messages (only the keys an enqueue touches)
-- ARGV[1] wake channel
-- ARGV[2..] groups of 7: id, body, packed headers, urgency (0..10), rank (0..255), event type ('' for none), delay ms (0 = ready now)
-- Returns: one integer per message, 1 = added, 0 = duplicate.
--@include _common
local q = { ready = KEYS[1], delayed = KEYS[2], sequence = KEYS[3], messages = KEYS[4] }
local now = now_ms()
local ready_was_empty = redis.call('ZCARD', q.ready) == 0
local added_ready, new_delayed_head = false, false
local results = {}
for i = 2, #ARGV, 7 do
  local id = ARGV[i]
  local urgency, rank, event_type, delay = ARGV[i + 3], ARGV[i + 4], ARGV[i + 5], tonumber(ARGV[i + 6])
  -- HSETNX stores the record only when the id is new: the duplicate check and the write are one command. A duplicate
  -- of a ready message uses up a sequence number; sequences only order messages, so the gap is harmless.
  if delay > 0 then
    -- The sequence is taken when the message becomes due, so scheduled messages queue up in due order.
    if redis.call('HSETNX', q.messages, id, build_record(urgency, rank, 0, now, event_type, ARGV[i + 2], ARGV[i + 1])) == 0 then
      results[#results + 1] = 0
    else
      local due = now + delay
      local head = redis.call('ZRANGE', q.delayed, 0, 0, 'WITHSCORES')
      if #head == 0 or tonumber(head[2]) > due then new_delayed_head = true end
      redis.call('ZADD', q.delayed, due, id)
      results[#results + 1] = 1
    end
  else
    local s = next_sequence(q.sequence)
    if type(s) == 'table' then return s end
    if redis.call('HSETNX', q.messages, id, build_record(urgency, rank, s, now, event_type, ARGV[i + 2], ARGV[i + 1])) == 0 then
      results[#results + 1] = 0
    else
      redis.call('ZADD', q.ready, score_of(urgency, rank, s), id)
      added_ready = true
      results[#results + 1] = 1
    end
  end
end
if (added_ready and ready_was_empty) or new_delayed_head then
  redis.call('PUBLISH', ARGV[1], 'w')
end
return results
