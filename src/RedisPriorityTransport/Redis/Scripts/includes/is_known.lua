-- True when the id is waiting, delayed or in flight, or was settled and its window has not passed.
local function is_known(q, id, now)
  if redis.call('HEXISTS', q.messages, id) == 1 then return true end
  local until_ms = redis.call('ZSCORE', q.settled, id)
  return until_ms ~= false and tonumber(until_ms) > now
end
