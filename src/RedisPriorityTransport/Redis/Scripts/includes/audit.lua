--@include includes/int
--@include includes/stream_id_before
-- How many entry ids the audit index keeps per message (the newest).
local INDEX_PER_MESSAGE = 100

-- Admin mutations share their first five arguments: ARGV[1] queue name, ARGV[2] user, ARGV[3] reason,
-- ARGV[4] audit stream length (approximate cap), ARGV[5] audit age in ms (0 keeps entries of any age).
-- Writes one entry to the queue's audit stream, with the time from Redis's clock, and trims the stream by length
-- and age. fields: extra name/value pairs (from, to, details). message: the message acted on, or nil. Returns the
-- entry's id.
local function audit(q, now, action, fields, message)
  local entry = { 'time', int(now), 'queue', ARGV[1], 'action', action, 'user', ARGV[2], 'reason', ARGV[3] }
  if message then
    entry[#entry + 1] = 'message'
    entry[#entry + 1] = message
  end
  for i = 1, #fields do entry[#entry + 1] = fields[i] end
  local id = redis.call('XADD', q.audit, 'MAXLEN', '~', ARGV[4], '*', unpack(entry))
  local max_age = tonumber(ARGV[5])
  if max_age > 0 then
    redis.call('XTRIM', q.audit, 'MINID', '~', int(now - max_age))
  end
  if message then
    -- The index finds a message's entries without scanning the stream: its field lists the newest entry ids.
    local ids = redis.call('HGET', q.audit_index, message)
    ids = ids and (ids .. ' ' .. id) or id
    local count = select(2, string.gsub(ids, ' ', ' ')) + 1
    if count > INDEX_PER_MESSAGE then ids = string.sub(ids, string.find(ids, ' ', 1, true) + 1) end
    redis.call('HSET', q.audit_index, message, ids)
    -- Entries trimmed from the stream leave index fields behind; two random fields are checked per write and dropped
    -- when their newest entry is gone, so the index stays within about twice the messages the stream still names.
    local oldest = redis.call('XRANGE', q.audit, '-', '+', 'COUNT', 1)
    if #oldest > 0 then
      local first = oldest[1][1]
      local sample = redis.call('HRANDFIELD', q.audit_index, 2, 'WITHVALUES')
      for i = 1, #sample, 2 do
        local newest = string.match(sample[i + 1], '(%S+)$')
        if newest and stream_id_before(newest, first) then redis.call('HDEL', q.audit_index, sample[i]) end
      end
    end
  end
  return id
end
