-- Reads the counts of a queue in one consistent snapshot.
-- KEYS[1..9] the queue: ready, delayed, in flight, sequence, lease counter, messages, tokens, deliveries, settled
-- KEYS[10..11] optional: the ready sets of the queue's error and skipped queues
-- ARGV[1] unused (kept so every script has an ARGV[1])
-- Returns: { now ms, in flight, delayed, ready count for urgency 10 down to 0 (11 values),
--            oldest enqueue ms for the high, normal and low bands (-1 when empty),
--            then, when KEYS[10..11] are given, the error and skipped depths }
--@include _common
local q = queue_keys()
local out = { now_ms(), redis.call('ZCARD', q.inflight), redis.call('ZCARD', q.delayed) }
for urgency = 10, 0, -1 do
  local low = (10 - urgency) * URGENCY_UNIT
  out[#out + 1] = redis.call('ZCOUNT', q.ready, int(low), '(' .. int(low + URGENCY_UNIT))
end
-- Within one (urgency, rank) class the first member is the oldest, so the oldest of a band is the oldest of the
-- first members of its non-empty classes; walking from class to class costs one lookup per non-empty class.
local function oldest(high_urgency, low_urgency)
  local cursor = (10 - high_urgency) * URGENCY_UNIT
  local stop = (10 - low_urgency + 1) * URGENCY_UNIT
  local best = -1
  while cursor < stop do
    local first = redis.call('ZRANGEBYSCORE', q.ready, int(cursor), '(' .. int(stop), 'WITHSCORES', 'LIMIT', 0, 1)
    if #first == 0 then break end
    local m = parse_record(redis.call('HGET', q.messages, first[1]))
    local t = m and tonumber(m.t) or -1
    if t >= 0 and (best < 0 or t < best) then best = t end
    cursor = (math.floor(tonumber(first[2]) / RANK_UNIT) + 1) * RANK_UNIT
  end
  return best
end
out[#out + 1] = oldest(10, 8)
out[#out + 1] = oldest(7, 4)
out[#out + 1] = oldest(3, 0)
if KEYS[11] then
  out[#out + 1] = redis.call('ZCARD', KEYS[10])
  out[#out + 1] = redis.call('ZCARD', KEYS[11])
end
return out
