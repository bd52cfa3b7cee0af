--@include includes/int
--@include includes/make_ready
--@include includes/move_message
--@include includes/remember_settled
--@include includes/lease_member
local function reclaim_expired(q, max_deliveries, reason_header, now, limit, window_ms)
  local expired = redis.call('ZRANGEBYSCORE', q.inflight, '-inf', int(now), 'LIMIT', '0', int(limit + 1))
  local more = #expired > limit
  if more then expired[#expired] = nil end
  local returned, dead = 0, 0
  for _, member in ipairs(expired) do
    redis.call('ZREM', q.inflight, member)
    local id = id_of_member(member)
    if redis.call('HEXISTS', q.messages, id) == 1 then
      -- The deliveries that ended unsettled, this expired one included.
      local deliveries = tonumber(redis.call('HGET', q.deliveries, id) or '0') + 1
      if deliveries >= max_deliveries then
        redis.call('HDEL', q.deliveries, id)
        local moved = move_message(q.messages, id, q.error.messages, q.error.ready, q.error.sequence, reason_header,
          'lease expired after ' .. deliveries .. ' deliveries (maximum ' .. max_deliveries .. ')', '', now, false, deliveries)
        if type(moved) == 'table' then return moved end
        remember_settled(q, id, window_ms, now)
        dead = dead + 1
      else
        redis.call('HSET', q.deliveries, id, deliveries)
        local err = make_ready(q.ready, q.sequence, q.messages, id)
        if err then return err end
        returned = returned + 1
      end
    else
      redis.call('HDEL', q.deliveries, id)
    end
  end
  return returned, dead, more
end
