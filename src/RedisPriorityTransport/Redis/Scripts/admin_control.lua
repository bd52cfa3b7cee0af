-- Pauses or resumes the queue, or sets or removes its rate limit, and writes the audit entry, in one step. The reserve
-- script reads the control hash on every call, so the change reaches every consumer at its next reserve; resuming
-- and changing the limit also wake idle consumers.
-- KEYS, in this order (the script reads them as q.<name>):
--@keys control audit audit_index
-- ARGV[1] queue name    ARGV[2] user    ARGV[3] reason    ARGV[4] audit length    ARGV[5] audit age ms
-- ARGV[6] action: pause, resume or ratelimit    ARGV[7] wake channel of the queue
-- ARGV[8] with ratelimit: messages per interval (0 removes the limit)    ARGV[9] with ratelimit: interval ms
-- Returns: { audit entry id, now ms }
--@include includes/now_ms
--@include includes/audit
local action = ARGV[6]
local now = now_ms()
local entry
if action == 'pause' then
  redis.call('HSET', q.control, 'paused', '1')
  entry = audit(q, now, 'Pause', {})
elseif action == 'resume' then
  redis.call('HDEL', q.control, 'paused')
  entry = audit(q, now, 'Resume', {})
else
  -- A new limit starts a new window.
  redis.call('HDEL', q.control, 'rw', 'rc', 'rp')
  if tonumber(ARGV[8]) > 0 then
    redis.call('HSET', q.control, 'rate', ARGV[8] .. ':' .. ARGV[9])
    entry = audit(q, now, 'SetRateLimit', { 'messages', ARGV[8], 'intervalMs', ARGV[9] })
  else
    redis.call('HDEL', q.control, 'rate')
    entry = audit(q, now, 'SetRateLimit', { 'messages', '', 'intervalMs', '' })
  end
end
if action ~= 'pause' then
  redis.call('PUBLISH', ARGV[7], 'w')
end
return { entry, now }
