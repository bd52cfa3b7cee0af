-- Deletes the messages of one state of the queue (ready, delayed, error or skipped; never those in flight) and writes
-- the audit entry, in one step. Ready and delayed messages go in batches, so Redis is never blocked for long: the
-- caller repeats until nothing is left, and each batch has its own entry. The error and skipped queues are unlinked
-- whole (Redis frees them in the background).
-- KEYS, in this order (the script reads them as q.<name>):
--@keys ready delayed messages deliveries audit audit_index error.ready error.messages skipped.ready skipped.messages
-- ARGV[1] queue name    ARGV[2] user    ARGV[3] reason    ARGV[4] audit length    ARGV[5] audit age ms
-- ARGV[6] state: ready, delayed, error or skipped    ARGV[7] batch size (ready and delayed)
-- Returns: { deleted count, messages left in that state, audit entry id ('' when nothing was deleted), now ms }
--@include includes/now_ms
--@include includes/forget_delivery
--@include includes/audit
local state = ARGV[6]
local now = now_ms()
local deleted, left = 0, 0
if state == 'error' or state == 'skipped' then
  local ready, messages = q.error.ready, q.error.messages
  if state == 'skipped' then ready, messages = q.skipped.ready, q.skipped.messages end
  deleted = redis.call('ZCARD', ready)
  redis.call('UNLINK', ready, messages)
else
  local set = state == 'delayed' and q.delayed or q.ready
  local ids = redis.call('ZRANGE', set, 0, tonumber(ARGV[7]) - 1)
  for _, id in ipairs(ids) do
    redis.call('HDEL', q.messages, id)
    forget_delivery(q.deliveries, id)
  end
  if #ids > 0 then redis.call('ZREMRANGEBYRANK', set, 0, #ids - 1) end
  deleted = #ids
  left = redis.call('ZCARD', set)
end
local entry = ''
if deleted > 0 then
  entry = audit(q, now, 'Purge', { 'state', state, 'count', tostring(deleted) })
end
return { deleted, left, entry, now }
