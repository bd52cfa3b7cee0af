-- Gives a message back: to the ready set at its original place, or to the delayed set for a while (when due it is
-- ready at its original place too: the record keeps its sequence). Optionally replaces some of its headers (a
-- redelivery writes its new count), so the same record, under the same id, is delivered again: never a copy.
-- KEYS, in this order (the script reads them as q.<name>):
--@keys ready delayed inflight sequence messages deliveries
-- ARGV[1] id    ARGV[2] lease token    ARGV[3] delay ms (0 = ready now)
-- ARGV[4] '1' to not count this delivery (a graceful shutdown, a redelivery), else '0'    ARGV[5] wake channel
-- ARGV[6] packed headers replacing those of the same name ('' or absent for none)
-- Returns: 1 when released, 0 when the lease is not held.
--@include includes/now_ms
--@include includes/build_record
--@include includes/parse_record
--@include includes/make_ready
--@include includes/replace_headers
--@include includes/end_lease
local id = ARGV[1]
if not end_lease(q, id, ARGV[2]) then
  return 0
end
if ARGV[4] ~= '1' then
  redis.call('HINCRBY', q.deliveries, id, 1)
end
if ARGV[6] and ARGV[6] ~= '' then
  local m = parse_record(redis.call('HGET', q.messages, id))
  if m then
    redis.call('HSET', q.messages, id, build_record(m.u, m.r, m.s, m.t, m.e, replace_headers(m.h, ARGV[6]), m.body))
  end
end
local delay = tonumber(ARGV[3])
if delay > 0 then
  local due = now_ms() + delay
  local head = redis.call('ZRANGE', q.delayed, 0, 0, 'WITHSCORES')
  redis.call('ZADD', q.delayed, due, id)
  if #head == 0 or tonumber(head[2]) > due then redis.call('PUBLISH', ARGV[5], 'w') end
else
  local was_empty = redis.call('ZCARD', q.ready) == 0
  local err = make_ready(q.ready, q.sequence, q.messages, id)
  if err then return err end
  if was_empty then redis.call('PUBLISH', ARGV[5], 'w') end
end
return 1
