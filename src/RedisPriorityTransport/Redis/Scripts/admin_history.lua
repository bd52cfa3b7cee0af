-- Reads the queue's audit stream newest first, filtered by user, action and message, examining at most a scan limit
-- of entries per call (a page may come back short with a cursor to go on). Reading one message's history scans the
-- stream, whose length the admin options cap.
-- KEYS[1..8] the queue: ready, delayed, in flight, sequence, lease counter, messages, tokens, deliveries
-- KEYS[9..16] error queue (ready, sequence, messages), skipped queue (same), control hash, audit stream
-- ARGV[1] newest entry id to read ('+' for the newest; '(' id to continue after a cursor)
-- ARGV[2] oldest entry id to read ('-' for the oldest)    ARGV[3] page size    ARGV[4] scan limit
-- ARGV[5] user ('' any)    ARGV[6] action ('' any)    ARGV[7] message id ('' any)
-- Returns: { next cursor (the id of the last entry examined, '' at the end), then per entry: id, its fields as a
--            flat list of names and values }
--@include _common
--@include _admin
local q = admin_keys()
local page_size, scan_limit = tonumber(ARGV[3]), tonumber(ARGV[4])
local user, action, message = ARGV[5], ARGV[6], ARGV[7]
local out = { '' }
local start = ARGV[1]
local found, examined = 0, 0
local last
while found < page_size and examined < scan_limit do
  local count = math.min(200, scan_limit - examined)
  local batch = redis.call('XREVRANGE', q.audit, start, ARGV[2], 'COUNT', count)
  if #batch == 0 then last = nil; break end
  for _, entry in ipairs(batch) do
    examined = examined + 1
    last = entry[1]
    local fields = {}
    for i = 1, #entry[2], 2 do fields[entry[2][i]] = entry[2][i + 1] end
    if (user == '' or fields.user == user) and (action == '' or fields.action == action)
        and (message == '' or fields.message == message) then
      out[#out + 1] = entry[1]
      out[#out + 1] = entry[2]
      found = found + 1
    end
    if found >= page_size or examined >= scan_limit then break end
  end
  if #batch < count and examined < scan_limit and found < page_size then last = nil; break end
  start = '(' .. last
end
if last and #redis.call('XREVRANGE', q.audit, '(' .. last, ARGV[2], 'COUNT', 1) > 0 then
  out[1] = last
end
return out
