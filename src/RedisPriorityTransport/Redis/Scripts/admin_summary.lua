-- Reads what an operator sees of one queue, in one consistent snapshot: ready counts per urgency (one ZCOUNT on a
-- score range each, O(log N)), the enqueue time of the oldest ready message per band, the in-flight, delayed, error
-- and skipped depths, and the pause flag and rate limit. Never walks the messages.
-- KEYS[1..8] the queue: ready, delayed, in flight, sequence, lease counter, messages, tokens, deliveries
-- KEYS[9..16] error queue (ready, sequence, messages), skipped queue (same), control hash, audit stream
-- ARGV[1] unused (kept so every script has an ARGV[1])
-- Returns: { now ms, in flight, delayed, error, skipped, ready count for urgency 10 down to 0 (11 values),
--            oldest enqueue ms for the high, normal and low bands (-1 when empty), paused (1/0),
--            rate limit 'messages:interval ms' ('' for none), 1 when any key of the queue exists else 0 }
--@include _common
--@include _admin
local q = admin_keys()
local out = { now_ms(), redis.call('ZCARD', q.inflight), redis.call('ZCARD', q.delayed),
              redis.call('ZCARD', q.error.ready), redis.call('ZCARD', q.skipped.ready) }
for urgency = 10, 0, -1 do
  local low = (10 - urgency) * URGENCY_UNIT
  out[#out + 1] = redis.call('ZCOUNT', q.ready, int(low), '(' .. int(low + URGENCY_UNIT))
end
-- Within one (urgency, rank) class the first member is the oldest, so the oldest of a band is the oldest of the
-- first members of its non-empty classes: one lookup per non-empty class.
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
out[#out + 1] = redis.call('HGET', q.control, 'paused') and 1 or 0
out[#out + 1] = redis.call('HGET', q.control, 'rate') or ''
out[#out + 1] = redis.call('EXISTS', q.ready, q.delayed, q.inflight, q.sequence, q.messages, q.control, q.audit,
  q.error.ready, q.skipped.ready) > 0 and 1 or 0
return out
