-- Enqueues one or more messages atomically, skipping ids already waiting, delayed or in flight, or settled within
-- the queue's duplicate detection window (see remember_settled).
-- KEYS, in this order (the script reads them as q.<name>):
--@keys ready delayed sequence messages settled sleepers
-- ARGV[1] wake channel
-- ARGV[2..] groups of 7: id, body, packed headers, urgency (0..10), rank (0..255), event type ('' for none), delay ms (0 = ready now)
-- Returns: one integer per message, 1 = added, 0 = duplicate.
-- Publishes a wake-up when it adds the first ready message to an empty queue and some waiting loop needs it (see
-- includes/sleepers), or when it adds a new earliest delayed message.
--@include includes/now_ms
--@include includes/int
--@include includes/score_of
--@include includes/build_record
--@include includes/settled_within_window
--@include includes/call_chunked
--@include includes/sleepers
local now = now_ms()
local ready_was_empty = redis.call('ZCARD', q.ready) == 0
-- The settled set exists only while some endpoint keeps a duplicate detection window: without it, no lookup per id.
local check_settled = redis.call('EXISTS', q.settled) == 1
-- One INCRBY reserves the sequences of the call's ready messages; a duplicate leaves a gap, which orders nothing wrongly.
local ready_count = 0
for i = 8, #ARGV, 7 do
  if ARGV[i] == '0' then ready_count = ready_count + 1 end
end
local s = 0
if ready_count > 0 then
  local last = redis.call('INCRBY', q.sequence, int(ready_count))
  if last > MAX_SEQUENCE then
    return redis.error_reply('ERR rpt sequence exhausted for ' .. q.sequence)
  end
  s = last - ready_count
end
local new_delayed_head = false
local results, ready = {}, {}
for i = 2, #ARGV, 7 do
  local id = ARGV[i]
  local urgency, rank, event_type, delay = ARGV[i + 3], ARGV[i + 4], ARGV[i + 5], tonumber(ARGV[i + 6])
  local sequence = 0
  if delay == 0 then
    s = s + 1
    sequence = s
  end
  -- HSETNX both asks whether the id is waiting, delayed or in flight and stores the record when it is not.
  if (check_settled and settled_within_window(q, id, now))
      or redis.call('HSETNX', q.messages, id, build_record(urgency, rank, sequence, now, event_type, ARGV[i + 2], ARGV[i + 1])) == 0 then
    results[#results + 1] = 0
  elseif delay > 0 then
    -- The sequence is taken when the message becomes due, so scheduled messages queue up in due order.
    local due = now + delay
    local head = redis.call('ZRANGE', q.delayed, '0', '0', 'WITHSCORES')
    if #head == 0 or tonumber(head[2]) > due then new_delayed_head = true end
    redis.call('ZADD', q.delayed, due, id)
    results[#results + 1] = 1
  else
    ready[#ready + 1] = score_of(urgency, rank, sequence)
    ready[#ready + 1] = id
    results[#results + 1] = 1
  end
end
-- The ready messages in one ZADD: inside a script every redis.call costs more than the command.
local added_ready = #ready > 0
if added_ready then call_chunked('ZADD', q.ready, ready) end
if new_delayed_head or (added_ready and ready_was_empty and wake_needed(q.sleepers, now)) then
  redis.call('PUBLISH', ARGV[1], 'w')
end
return results
