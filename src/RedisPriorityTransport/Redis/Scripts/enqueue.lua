-- Enqueues one or more messages atomically, skipping ids already waiting, delayed or in flight.
-- KEYS[1] ready set    KEYS[2] delayed set    KEYS[3] sequence counter
-- ARGV[1] message key prefix    ARGV[2] wake channel
-- ARGV[3..] groups of 7: id, body, packed headers, urgency (0..10), rank (0..255), event type ('' for none), delay ms (0 = ready now)
-- Returns: one integer per message, 1 = added, 0 = duplicate.
--@include _common
local ready_key, delayed_key, sequence_key = KEYS[1], KEYS[2], KEYS[3]
local prefix, channel = ARGV[1], ARGV[2]
local now = now_ms()
local ready_was_empty = redis.call('ZCARD', ready_key) == 0
local added_ready, new_delayed_head = false, false
local results = {}
for i = 3, #ARGV, 7 do
  local id = ARGV[i]
  local key = prefix .. id
  if redis.call('EXISTS', key) == 1 then
    results[#results + 1] = 0
  else
    local urgency, rank, delay = ARGV[i + 3], ARGV[i + 4], tonumber(ARGV[i + 6])
    redis.call('HSET', key, 'b', ARGV[i + 1], 'h', ARGV[i + 2], 'u', urgency, 'r', rank, 't', now, 'd', 0)
    if ARGV[i + 5] ~= '' then redis.call('HSET', key, 'e', ARGV[i + 5]) end
    if delay > 0 then
      -- The sequence is taken at promotion, so scheduled messages queue up in due order.
      local due = now + delay
      local head = redis.call('ZRANGE', delayed_key, 0, 0, 'WITHSCORES')
      if #head == 0 or tonumber(head[2]) > due then new_delayed_head = true end
      redis.call('ZADD', delayed_key, due, id)
    else
      local s = next_sequence(sequence_key)
      if type(s) == 'table' then return s end
      redis.call('HSET', key, 's', s)
      redis.call('ZADD', ready_key, score_of(urgency, rank, s), id)
      added_ready = true
    end
    results[#results + 1] = 1
  end
end
if (added_ready and ready_was_empty) or new_delayed_head then
  redis.call('PUBLISH', channel, 'w')
end
return results
