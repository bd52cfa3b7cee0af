-- Gives a message back: to the ready set at its original place, or to the delayed set for a while.
-- KEYS[1] ready    KEYS[2] delayed    KEYS[3] in flight    KEYS[4] sequence
-- ARGV[1] message key prefix    ARGV[2] id    ARGV[3] lease token    ARGV[4] delay ms (0 = ready now)
-- ARGV[5] '1' to not count this delivery (a graceful shutdown), else '0'    ARGV[6] wake channel
-- Returns: 1 when released, 0 when the lease is not held.
--@include _common
local ready_key, delayed_key, inflight_key = KEYS[1], KEYS[2], KEYS[3]
local id = ARGV[2]
local key = ARGV[1] .. id
if redis.call('HGET', key, 'k') ~= ARGV[3] or not redis.call('ZSCORE', inflight_key, id) then
  return 0
end
redis.call('ZREM', inflight_key, id)
redis.call('HDEL', key, 'k')
if ARGV[5] == '1' then
  redis.call('HINCRBY', key, 'd', -1)
end
local delay = tonumber(ARGV[4])
if delay > 0 then
  local due = now_ms() + delay
  local head = redis.call('ZRANGE', delayed_key, 0, 0, 'WITHSCORES')
  redis.call('ZADD', delayed_key, due, id)
  if #head == 0 or tonumber(head[2]) > due then redis.call('PUBLISH', ARGV[6], 'w') end
else
  local was_empty = redis.call('ZCARD', ready_key) == 0
  local err = make_ready(ready_key, KEYS[4], key, id)
  if err then return err end
  if was_empty then redis.call('PUBLISH', ARGV[6], 'w') end
end
return 1
