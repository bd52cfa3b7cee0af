-- Returns expired leases to the ready set at their original place (delivery count kept: it already counts the lost
-- delivery), or moves messages that used up their deliveries to the error queue with a reason.
-- Returns two numbers: returned, dead-lettered (or an error reply as the first value).
local function reclaim_expired(ready_key, inflight_key, sequence_key, prefix, max_deliveries, error_prefix,
                               error_ready, error_sequence, reason_header, now, limit)
  local expired = redis.call('ZRANGEBYSCORE', inflight_key, '-inf', now, 'LIMIT', 0, limit)
  local returned, dead = 0, 0
  for _, id in ipairs(expired) do
    redis.call('ZREM', inflight_key, id)
    local key = prefix .. id
    if is_message(key) then
      local deliveries = deliveries_of(key)
      if deliveries >= max_deliveries then
        local moved = move_message(key, id, error_prefix, error_ready, error_sequence, reason_header,
          'lease expired after ' .. deliveries .. ' deliveries (maximum ' .. max_deliveries .. ')', '', now)
        if type(moved) == 'table' then return moved end
        dead = dead + 1
      else
        redis.call('HDEL', key, 'k')
        local err = make_ready(ready_key, sequence_key, key, id)
        if err then return err end
        returned = returned + 1
      end
    end
  end
  return returned, dead
end
