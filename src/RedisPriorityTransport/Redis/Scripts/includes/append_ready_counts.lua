--@include includes/score_layout
--@include includes/int
--@include includes/parse_record
local function append_ready_counts(ready_key, messages_key, out)
  for urgency = 10, 0, -1 do
    local low = (10 - urgency) * URGENCY_UNIT
    out[#out + 1] = redis.call('ZCOUNT', ready_key, int(low), '(' .. int(low + URGENCY_UNIT))
  end
  -- Within one (urgency, rank) class the first member is the oldest, so the oldest of a band is the oldest of the
  -- first members of its non-empty classes: one lookup per non-empty class.
  local function oldest(high_urgency, low_urgency)
    local cursor = (10 - high_urgency) * URGENCY_UNIT
    local stop = (10 - low_urgency + 1) * URGENCY_UNIT
    local best = -1
    while cursor < stop do
      local first = redis.call('ZRANGEBYSCORE', ready_key, int(cursor), '(' .. int(stop), 'WITHSCORES', 'LIMIT', 0, 1)
      if #first == 0 then break end
      local m = parse_record(redis.call('HGET', messages_key, first[1]))
      local t = m and tonumber(m.t) or -1
      if t >= 0 and (best < 0 or t < best) then best = t end
      cursor = (math.floor(tonumber(first[2]) / RANK_UNIT) + 1) * RANK_UNIT
    end
    return best
  end
  out[#out + 1] = oldest(10, 8)
  out[#out + 1] = oldest(7, 4)
  out[#out + 1] = oldest(3, 0)
  return out
end
