--@include includes/score_of
--@include includes/build_record
--@include includes/settled_within_window
-- Enqueues the messages given as groups of 7 values in args[first..last] (id, body, packed headers, urgency 0..10,
-- rank 0..255, event type or '', delay ms or 0 for ready now), skipping ids already waiting, delayed or in flight, or
-- settled within the queue's duplicate detection window (see remember_settled).
-- Returns one integer per message (1 = added, 0 = duplicate), whether the ready set was empty before and gained a
-- message, and whether a message became the earliest delayed one; or nil and an error reply.
local function enqueue_messages(q, args, first, last, now)
  local ready_was_empty = redis.call('ZCARD', q.ready) == 0
  -- The settled set exists only while some endpoint keeps a duplicate detection window: without it, no lookup per id.
  local check_settled = redis.call('EXISTS', q.settled) == 1
  -- One INCRBY reserves the sequences of the call's ready messages; a duplicate leaves a gap, which orders nothing wrongly.
  local ready_count = 0
  for i = first + 6, last, 7 do
    if args[i] == '0' then ready_count = ready_count + 1 end
  end
  local s = 0
  if ready_count > 0 then
    local last_sequence = redis.call('INCRBY', q.sequence, ready_count)
    if last_sequence > MAX_SEQUENCE then
      return nil, redis.error_reply('ERR rpt sequence exhausted for ' .. q.sequence)
    end
    s = last_sequence - ready_count
  end
  local added_ready, new_delayed_head = false, false
  local results = {}
  for i = first, last, 7 do
    local id = args[i]
    local urgency, rank, event_type, delay = args[i + 3], args[i + 4], args[i + 5], tonumber(args[i + 6])
    local sequence = 0
    if delay == 0 then
      s = s + 1
      sequence = s
    end
    -- HSETNX both asks whether the id is waiting, delayed or in flight and stores the record when it is not.
    if (check_settled and settled_within_window(q, id, now))
        or redis.call('HSETNX', q.messages, id, build_record(urgency, rank, sequence, now, event_type, args[i + 2], args[i + 1])) == 0 then
      results[#results + 1] = 0
    elseif delay > 0 then
      -- The sequence is taken when the message becomes due, so scheduled messages queue up in due order.
      local due = now + delay
      local head = redis.call('ZRANGE', q.delayed, 0, 0, 'WITHSCORES')
      if #head == 0 or tonumber(head[2]) > due then new_delayed_head = true end
      redis.call('ZADD', q.delayed, due, id)
      results[#results + 1] = 1
    else
      redis.call('ZADD', q.ready, score_of(urgency, rank, sequence), id)
      added_ready = true
      results[#results + 1] = 1
    end
  end
  return results, added_ready and ready_was_empty, new_delayed_head
end
