--@include includes/int
-- How many of `wanted` messages the queue's control hash lets a reserve take now: none while paused, at most what the
-- rate limit's current window has left. Returns that count, the ms until the window reopens when it cuts the count
-- (else nil), and a function recording how many were taken. One HMGET reads all the fields.
local function admission(control_key, wanted, now)
  local nothing = function() end
  if wanted <= 0 then return 0, nil, nothing end
  local control = redis.call('HMGET', control_key, 'paused', 'rate', 'rw', 'rc')
  if control[1] then return 0, nil, nothing end
  local rate = control[2]
  if not rate then return wanted, nil, nothing end
  local limit, interval = string.match(rate, '^(%d+):(%d+)$')
  limit, interval = tonumber(limit), tonumber(interval)
  if not limit or not interval or interval <= 0 then return wanted, nil, nothing end
  local window = int(math.floor(now / interval))
  local used = 0
  if control[3] == window then
    used = tonumber(control[4] or '0')
  end
  local left = math.max(0, limit - used)
  local reopens = (tonumber(window) + 1) * interval - now
  local admitted = math.min(left, wanted)
  local spend = function(count)
    if count > 0 then redis.call('HSET', control_key, 'rw', window, 'rc', used + count) end
  end
  if admitted < wanted then return admitted, reopens, spend end
  return admitted, nil, spend
end
