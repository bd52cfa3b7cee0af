--@include includes/acknowledge
--@include includes/trim_settled
--@include includes/reclaim_expired
--@include includes/promote_due
--@include includes/admission
-- What reserve does (see reserve.lua), with its arguments at args[base + 1 ..] in reserve's ARGV order: acknowledges
-- the finished messages it is given, reclaims expired leases, promotes due delayed messages and reserves up to N
-- ready messages in priority order under a lease. Returns reserve's reply table, or nil and an error reply.
local function reserve_messages(q, args, base, now)
  local max_messages, lease_ms, limit = tonumber(args[base + 1]), tonumber(args[base + 2]), tonumber(args[base + 5])

  local acknowledged = {}
  local ack_count = tonumber(args[base + 6] or '0')
  local window_ms = tonumber(args[base + 7 + 2 * ack_count])
  -- The deliveries hash counts only deliveries that ended unsettled: while no message was redelivered it does not
  -- exist, and neither acknowledging nor reserving needs a command per message for it.
  local any_redelivered = ack_count > 0 and redis.call('EXISTS', q.deliveries) == 1
  for i = 1, ack_count do
    acknowledged[i] = acknowledge(q, args[base + 5 + 2 * i], args[base + 6 + 2 * i], window_ms, now, any_redelivered)
  end
  trim_settled(q, now)

  local returned, dead, more_expired = reclaim_expired(q, tonumber(args[base + 3]), args[base + 4], now, limit, window_ms)
  if type(returned) == 'table' then return nil, returned end
  local err, more_due, head = promote_due(q.ready, q.delayed, q.sequence, q.messages, now, limit)
  if err then return nil, err end
  local backlog = more_expired or more_due
  if backlog then max_messages = 0 end

  local token_prefix, token_counter = args[base + 8 + 2 * ack_count], tonumber(args[base + 9 + 2 * ack_count])
  local expiry = now + lease_ms
  local out = { -1, now, expiry, returned, dead, ack_count }
  for i = 1, ack_count do
    out[#out + 1] = acknowledged[i]
  end
  local admitted, reopens_in, spend = admission(q.control, max_messages, now)
  if admitted > 0 then
    local popped = redis.call('ZPOPMIN', q.ready, admitted)
    spend(#popped / 2)
    any_redelivered = #popped > 0 and redis.call('EXISTS', q.deliveries) == 1
    for i = 1, #popped, 2 do
      local id = popped[i]
      local record = redis.call('HGET', q.messages, id)
      -- A member without its record was left by a foreign writer; there is nothing to deliver.
      if record then
        local token = token_prefix .. string.format('%09d', token_counter)
        token_counter = token_counter + 1
        redis.call('ZADD', q.inflight, expiry, lease_member(id, token))
        out[#out + 1] = id
        out[#out + 1] = record
        -- This delivery, and those before it that ended unsettled.
        out[#out + 1] = any_redelivered and tonumber(redis.call('HGET', q.deliveries, id) or '0') + 1 or 1
        out[#out + 1] = token
      end
    end
  end
  if backlog then
    out[1] = 0
  elseif #head > 0 then
    out[1] = math.max(0, tonumber(head[2]) - now)
  end
  if reopens_in and (out[1] < 0 or reopens_in < out[1]) then
    out[1] = reopens_in
  end
  return out
end
