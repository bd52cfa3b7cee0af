--@include includes/int
-- Forgets settled ids whose window has passed, at most 1000 a call; run by reserve, which runs anyway wherever
-- messages are settled, so the set holds little more than the ids still inside their window. Enqueue, on the
-- producer's path, does not trim: enqueue compares the window's end with now. (ZRANGEBYSCORE and ZREM rather than
-- ZREMRANGEBYSCORE: the commands the documented ACL rule already allows.)
local function trim_settled(q, now)
  local expired = redis.call('ZRANGEBYSCORE', q.settled, '-inf', int(now), 'LIMIT', '0', '1000')
  if #expired > 0 then redis.call('ZREM', q.settled, unpack(expired)) end
end
