--@include includes/forget_delivery
--@include includes/remember_settled
--@include includes/end_lease
--@include includes/call_chunked
-- Deletes a message in flight under the lease token, remembering its id for window_ms. Returns 1, or 0 when the
-- lease is no longer held. any_redelivered: false when the deliveries hash does not exist (nothing to forget).
local function acknowledge(q, id, token, window_ms, now, any_redelivered)
  if not end_lease(q, id, token) then
    return 0
  end
  redis.call('HDEL', q.messages, id)
  if any_redelivered ~= false then forget_delivery(q.deliveries, id) end
  remember_settled(q, id, window_ms, now)
  return 1
end

-- acknowledge for several messages (the receive loop's finished messages, carried by its next reserve): one ZREM each,
-- whose reply tells whether that lease was held, then one HDEL for all the records (and one for their delivery counts)
-- and one ZADD remembering them as settled. Returns 1 or 0 per message, as acknowledge does.
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
      settled[#settled + 1] = now + window_ms
      settled[#settled + 1] = deleted[i]
    end
    call_chunked('ZADD', q.settled, settled)
  end
  return results
end
