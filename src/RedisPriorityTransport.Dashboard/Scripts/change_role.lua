-- Sets or removes a user's dashboard role and writes the audit entry, in one step, so an assignment never changes
-- without its entry. Setting the role the user already has changes nothing and writes no entry.
-- The entry's time is its stream id, which Redis takes from its own clock.
-- KEYS[1] role assignments hash ({prefix}{dashboard}:roles)    KEYS[2] audit stream ({prefix}{dashboard}:audit)
-- ARGV[1] acting user    ARGV[2] target user    ARGV[3] new role: viewer, operator, manager or admin ('' removes it)
-- ARGV[4] reason ('' when none given)    ARGV[5] audit length (approximate cap)
-- Returns: { audit entry id ('' when nothing changed), previous role ('' when none) }
local role = ARGV[3]
if role ~= '' and role ~= 'viewer' and role ~= 'operator' and role ~= 'manager' and role ~= 'admin' then
  return redis.error_reply('ERR unknown dashboard role ' .. role)
end
local previous = redis.call('HGET', KEYS[1], ARGV[2]) or ''
if previous == role then
  return { '', previous }
end
if role == '' then
  redis.call('HDEL', KEYS[1], ARGV[2])
else
  redis.call('HSET', KEYS[1], ARGV[2], role)
end
local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], '*',
  'user', ARGV[1], 'target', ARGV[2], 'from', previous, 'to', role, 'reason', ARGV[4])
return { id, previous }
