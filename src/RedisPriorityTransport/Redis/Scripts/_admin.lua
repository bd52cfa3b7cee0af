-- Helpers of the admin scripts, inlined by: --@include _admin (after _common).
-- Every admin script receives the same seventeen keys: KEYS[1..8] the queue, KEYS[9..11] its error queue (ready,
-- sequence, messages), KEYS[12..14] its skipped queue (ready, sequence, messages), KEYS[15] the queue's control hash
-- (pause flag and rate limit), KEYS[16] its audit stream, KEYS[17] the audit index (message id -> its entry ids).
-- All share the queue's hash tag.
local function admin_keys()
  local q = queue_keys()
  q.error = target_keys(9)
  q.skipped = target_keys(12)
  q.control = KEYS[15]
  q.audit = KEYS[16]
  q.audit_index = KEYS[17]
  return q
end

-- True when stream id a ('ms-seq') is older than b.
local function stream_id_before(a, b)
  local ams, aseq = string.match(a, '^(%d+)-(%d+)$')
  local bms, bseq = string.match(b, '^(%d+)-(%d+)$')
  if not ams or not bms then return false end
  if ams ~= bms then return tonumber(ams) < tonumber(bms) end
  return tonumber(aseq) < tonumber(bseq)
end

local function band_of(urgency)
  local u = tonumber(urgency)
  if u >= 8 then return 'High' elseif u >= 4 then return 'Normal' else return 'Low' end
end

-- Where a message of the queue is: ready, delayed, inflight, error, skipped, or none.
local function state_of(q, id)
  if redis.call('ZSCORE', q.ready, id) then return 'ready' end
  if redis.call('ZSCORE', q.delayed, id) then return 'delayed' end
  if redis.call('ZSCORE', q.inflight, id) then return 'inflight' end
  if redis.call('HEXISTS', q.error.messages, id) == 1 then return 'error' end
  if redis.call('HEXISTS', q.skipped.messages, id) == 1 then return 'skipped' end
  return 'none'
end

-- The value of one packed header ("<bytes>:<name><bytes>:<value>" repeated; the last entry of a name wins), or nil.
local function header_value(packed, wanted)
  local found, position, length = nil, 1, #packed
  while position <= length do
    local colon = string.find(packed, ':', position, true)
    if not colon then return found end
    local name_length = tonumber(string.sub(packed, position, colon - 1))
    if not name_length then return found end
    local name = string.sub(packed, colon + 1, colon + name_length)
    position = colon + name_length + 1
    colon = string.find(packed, ':', position, true)
    if not colon then return found end
    local value_length = tonumber(string.sub(packed, position, colon - 1))
    if not value_length then return found end
    if name == wanted then found = string.sub(packed, colon + 1, colon + value_length) end
    position = colon + value_length + 1
  end
  return found
end

-- The MassTransit message types of a message, joined by ';': the MT-MessageType header (raw JSON and other
-- serializers), else the "messageType" array near the start of a MassTransit JSON envelope. Reads at most 8 KiB of
-- the body, so a large body costs no more than a small one.
local function message_types(packed_headers, body)
  local header = header_value(packed_headers, 'MT-MessageType')
  if header then return header end
  local head = string.sub(body, 1, 8192)
  local key = string.find(head, '"messageType"', 1, true)
  if not key then return '' end
  local open = string.find(head, '[', key, true)
  local close = open and string.find(head, ']', open, true)
  if not close then return '' end
  local types = {}
  for urn in string.gmatch(string.sub(head, open + 1, close - 1), '"([^"]*)"') do
    types[#types + 1] = urn
  end
  return table.concat(types, ';')
end

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

-- The audit fields of a change of urgency from one level to another (either may be nil).
local function urgency_fields(fields, from, to)
  if from then
    fields[#fields + 1] = 'from'; fields[#fields + 1] = from
    fields[#fields + 1] = 'fromBand'; fields[#fields + 1] = band_of(from)
  end
  if to then
    fields[#fields + 1] = 'to'; fields[#fields + 1] = to
    fields[#fields + 1] = 'toBand'; fields[#fields + 1] = band_of(to)
  end
  return fields
end
