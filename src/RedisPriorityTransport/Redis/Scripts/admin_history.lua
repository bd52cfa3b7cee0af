-- Reads the queue's audit stream newest first, filtered by user and action, examining at most a scan limit of entries
-- per call (a page may come back short with a cursor to go on). One message's history is read through the audit
-- index instead: one XRANGE per entry of that message, whatever the stream's length.
-- KEYS, in this order (the script reads them as q.<name>):
--@keys audit audit_index
-- ARGV[1] newest entry id to read ('+' for the newest; '(' id to continue after a cursor)
-- ARGV[2] oldest entry id to read ('-' for the oldest)    ARGV[3] page size    ARGV[4] scan limit
-- ARGV[5] user ('' any)    ARGV[6] action ('' any)    ARGV[7] message id ('' any; when given, the index is read and ARGV[1..4] do not apply)
-- Returns: { next cursor (the id of the last entry examined, '' at the end), then per entry: id, its fields as a
--            flat list of names and values }
local page_size, scan_limit = tonumber(ARGV[3]), tonumber(ARGV[4])
local user, action, message = ARGV[5], ARGV[6], ARGV[7]
-- Compares the wanted fields in place: no table is built for an entry that does not match.
local function matches(flat)
  if user == '' and action == '' and message == '' then return true end
  local ok_user, ok_action, ok_message = user == '', action == '', message == ''
  for i = 1, #flat, 2 do
    local name = flat[i]
    if name == 'user' then ok_user = ok_user or flat[i + 1] == user
    elseif name == 'action' then ok_action = ok_action or flat[i + 1] == action
    elseif name == 'message' then ok_message = ok_message or flat[i + 1] == message end
  end
  return ok_user and ok_action and ok_message
end

local out = { '' }
if message ~= '' then
  local ids = redis.call('HGET', q.audit_index, message)
  local list = {}
  for id in string.gmatch(ids or '', '%S+') do list[#list + 1] = id end
  for i = #list, 1, -1 do
    -- An entry trimmed from the stream is simply gone; the entry's own fields confirm the message.
    local entry = redis.call('XRANGE', q.audit, list[i], list[i])
    if #entry > 0 and matches(entry[1][2]) then
      out[#out + 1] = entry[1][1]
      out[#out + 1] = entry[1][2]
    end
  end
  return out
end
local start = ARGV[1]
local found, examined = 0, 0
local last

while found < page_size and examined < scan_limit do
  -- Unfiltered, a page reads exactly what it returns; filtered, larger chunks.
  local count = (user == '' and action == '') and (page_size - found) or math.min(500, scan_limit - examined)
  local batch = redis.call('XREVRANGE', q.audit, start, ARGV[2], 'COUNT', count)
  if #batch == 0 then last = nil; break end
  for _, entry in ipairs(batch) do
    examined = examined + 1
    last = entry[1]
    if matches(entry[2]) then
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
