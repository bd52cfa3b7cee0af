--@include includes/int
-- How many of `wanted` messages the queue's control hash lets a reserve take now: none while paused, at most what the
-- rate limit leaves. Returns that count, the ms until at least one more is admitted when it cuts the count (else nil),
-- and a function recording how many were taken. One HMGET reads all the fields.
--
-- The limit is a sliding window of Redis time: the messages taken in the current fixed window (TIME / interval,
-- fields rw and rc) plus the previous window's count (rp) weighted by the share of it that still lies within one
-- interval of now. So no short span across a window boundary starts up to 2n messages, as a plain fixed window would,
-- and over many windows the rate is exactly n per interval. Two counters, no per-message state.
local function admission(control_key, wanted, now)
  local nothing = function() end
  if wanted <= 0 then return 0, nil, nothing end
  local control = redis.call('HMGET', control_key, 'paused', 'rate', 'rw', 'rc', 'rp')
  if control[1] then return 0, nil, nothing end
  local rate = control[2]
  if not rate then return wanted, nil, nothing end
  local limit, interval = string.match(rate, '^(%d+):(%d+)$')
  limit, interval = tonumber(limit), tonumber(interval)
  if not limit or not interval or interval <= 0 then return wanted, nil, nothing end
  local window = math.floor(now / interval)
  local stored = tonumber(control[3] or '')
  local current, previous = 0, 0
  if stored == window then
    current, previous = tonumber(control[4] or '0'), tonumber(control[5] or '0')
  elseif stored == window - 1 then
    previous = tonumber(control[4] or '0')
  end
  local elapsed = now - window * interval
  local used = previous * (interval - elapsed) / interval + current
  local admitted = math.min(math.max(0, math.floor(limit - used)), wanted)
  local spend = function(count)
    if count > 0 then redis.call('HSET', control_key, 'rw', int(window), 'rc', int(current + count), 'rp', int(previous)) end
  end
  if admitted == wanted then return admitted, nil, spend end
  -- When one more fits, counting what this call takes: later in this window, as the previous window's weight falls,
  -- or else in the next one, where this window's count is the one that fades.
  local taken = current + admitted
  local reopens
  if previous > 0 and taken <= limit - 1 then
    reopens = math.ceil(interval - (limit - 1 - taken) * interval / previous) - elapsed
  end
  if not reopens or elapsed + reopens >= interval then
    local fading = 0
    if taken > limit - 1 then fading = math.ceil(interval * (1 - (limit - 1) / taken)) end
    reopens = interval - elapsed + fading
  end
  return admitted, math.max(1, reopens), spend
end
