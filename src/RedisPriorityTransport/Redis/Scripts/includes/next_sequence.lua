--@include includes/score_layout
local function next_sequence(sequence_key)
  local s = redis.call('INCR', sequence_key)
  if s > MAX_SEQUENCE then
    return redis.error_reply('ERR rpt sequence exhausted for ' .. sequence_key)
  end
  return s
end
