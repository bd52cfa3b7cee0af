-- Reads the counts of a queue in one consistent snapshot.
-- KEYS[1] ready    KEYS[2] in flight    KEYS[3] delayed
-- ARGV[1] message key prefix
-- Returns: { now ms, in flight, delayed, ready count for urgency 10 down to 0 (11 values),
--            oldest enqueue ms for the high, normal and low bands (-1 when empty) }
--@include _common
local ready_key = KEYS[1]
local out = { now_ms(), redis.call('ZCARD', KEYS[2]), redis.call('ZCARD', KEYS[3]) }
for urgency = 10, 0, -1 do
  local low = (10 - urgency) * URGENCY_UNIT
  out[#out + 1] = redis.call('ZCOUNT', ready_key, low, '(' .. string.format('%.0f', low + URGENCY_UNIT))
end
-- Within one (urgency, rank) class the first member is the oldest, so the oldest of a band is the oldest of the
-- first members of its non-empty classes; walking from class to class costs one lookup per non-empty class.
local function oldest(high_urgency, low_urgency)
  local cursor = (10 - high_urgency) * URGENCY_UNIT
  local stop = (10 - low_urgency + 1) * URGENCY_UNIT
  local best = -1
  while cursor < stop do
    local first = redis.call('ZRANGEBYSCORE', ready_key, string.format('%.0f', cursor),
      '(' .. string.format('%.0f', stop), 'WITHSCORES', 'LIMIT', 0, 1)
    if #first == 0 then break end
    local t = tonumber(redis.call('HGET', ARGV[1] .. first[1], 't')) or -1
    if t >= 0 and (best < 0 or t < best) then best = t end
    cursor = (math.floor(tonumber(first[2]) / RANK_UNIT) + 1) * RANK_UNIT
  end
  return best
end
out[#out + 1] = oldest(10, 8)
out[#out + 1] = oldest(7, 4)
out[#out + 1] = oldest(3, 0)
return out
