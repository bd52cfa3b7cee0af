--@include includes/int
local function admission(control_key, wanted, now)
  local nothing = function() end
  if wanted <= 0 then return 0, nil, nothing end
  if redis.call('HGET', control_key, 'paused') then return 0, nil, nothing end
  local rate = redis.call('HGET', control_key, 'rate')
  if not rate then return wanted, nil, nothing end
  local limit, interval = string.match(rate, '^(%d+):(%d+)$')
  limit, interval = tonumber(limit), tonumber(interval)
  if not limit or not interval or interval <= 0 then return wanted, nil, nothing end
  local window = int(math.floor(now / interval))
  local used = 0
  if redis.call('HGET', control_key, 'rw') == window then
    used = tonumber(redis.call('HGET', control_key, 'rc') or '0')
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
