--@include includes/int
--@include includes/make_ready
-- Moves due delayed messages to the ready set, earliest due first, at most `limit`. Returns an error reply, or nil,
-- whether due messages remain (then the ready set's head may not be the most important due message yet), and the
-- delayed set's head afterwards ({} or { id, due ms }). Without a due message it costs one ZRANGE.
local function promote_due(ready_key, delayed_key, sequence_key, messages_key, now, limit)
  local head = redis.call('ZRANGE', delayed_key, '0', '0', 'WITHSCORES')
  if #head == 0 or tonumber(head[2]) > now then return nil, false, head end
  local due = redis.call('ZRANGEBYSCORE', delayed_key, '-inf', int(now), 'LIMIT', '0', int(limit + 1))
  local more = #due > limit
  if more then due[#due] = nil end
  for _, id in ipairs(due) do
    redis.call('ZREM', delayed_key, id)
    if redis.call('HEXISTS', messages_key, id) == 1 then
      local err = make_ready(ready_key, sequence_key, messages_key, id)
      if err then return err end
    end
  end
  return nil, more, redis.call('ZRANGE', delayed_key, '0', '0', 'WITHSCORES')
end
