-- Remembers for window_ms that a message left the queue settled (acknowledged, dead-lettered, moved or cancelled),
-- so a resend of its id within the window is a duplicate. A window of 0 remembers nothing.
local function remember_settled(q, id, window_ms, now)
  if window_ms and window_ms > 0 then
    redis.call('ZADD', q.settled, now + window_ms, id)
  end
end
