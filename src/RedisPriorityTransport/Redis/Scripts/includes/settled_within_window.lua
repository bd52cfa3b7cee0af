-- True when the id was settled and its duplicate detection window has not passed.
local function settled_within_window(q, id, now)
  local until_ms = redis.call('ZSCORE', q.settled, id)
  return until_ms ~= false and tonumber(until_ms) > now
end
