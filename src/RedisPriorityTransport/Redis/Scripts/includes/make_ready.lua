--@include includes/score_of
--@include includes/next_sequence
--@include includes/build_record
--@include includes/parse_record
-- Puts a stored message into the ready set at the place its priority and sequence give, assigning the sequence
-- first when it has none. Returns an error reply, or nil.
local function make_ready(ready_key, sequence_key, messages_key, id)
  local record = redis.call('HGET', messages_key, id)
  local m = parse_record(record)
  if not m then
    -- Damaged data still gets a place (last of all), so the consumer can report and skip it instead of losing it.
    local s = next_sequence(sequence_key)
    if type(s) == 'table' then return s end
    redis.call('ZADD', ready_key, score_of(0, 255, s), id)
    return nil
  end
  local s = m.s
  if s == '0' then
    s = next_sequence(sequence_key)
    if type(s) == 'table' then return s end
    redis.call('HSET', messages_key, id, build_record(m.u, m.r, s, m.t, m.e, m.h, m.body))
  end
  redis.call('ZADD', ready_key, score_of(m.u, m.r, s), id)
  return nil
end
