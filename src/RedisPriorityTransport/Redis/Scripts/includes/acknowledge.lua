--@include includes/end_lease
--@include includes/call_chunked
--@include includes/int
-- Deletes messages in flight under their lease tokens, remembering their ids for window_ms: one ZREM each, whose reply
-- tells whether that lease was still held, then one HDEL for all the records (and one for their delivery counts, unless
-- any_redelivered is false: the deliveries hash does not exist) and one ZADD remembering them as settled.
-- Returns 1 (deleted) or 0 (the lease is no longer held) per message.
local function acknowledge_all(q, ids, tokens, window_ms, now, any_redelivered)
  local results, deleted = {}, {}
  for i = 1, #ids do
    if end_lease(q, ids[i], tokens[i]) then
      results[i] = 1
      deleted[#deleted + 1] = ids[i]
    else
      results[i] = 0
    end
  end
  if #deleted == 0 then
    return results
  end
  call_chunked('HDEL', q.messages, deleted)
  if any_redelivered ~= false then call_chunked('HDEL', q.deliveries, deleted) end
  if window_ms and window_ms > 0 then
    local settled = {}
    for i = 1, #deleted do
      settled[#settled + 1] = int(now + window_ms)
      settled[#settled + 1] = deleted[i]
    end
    call_chunked('ZADD', q.settled, settled)
  end
  return results
end
