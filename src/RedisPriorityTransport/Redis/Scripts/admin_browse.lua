-- Reads one page of the queue's messages in one state, in that state's order: ready by priority (delivery order),
-- delayed by due time, in flight by lease expiry, error and skipped by priority. Paged by cursor (the score and id of
-- the last message examined), so a page costs O(log N) to find its start plus the messages it examines, whatever the
-- queue's size. Filters are applied here; a page examines at most the scan limit, so a sparse filter may return a
-- short page with a cursor to go on.
-- KEYS, in this order (the script reads them as q.<name>):
--@keys ready delayed inflight messages deliveries error.ready error.messages skipped.ready skipped.messages
-- ARGV[1] state: ready, delayed, inflight, error or skipped    ARGV[2] cursor score ('' for the first page)
-- ARGV[3] cursor id    ARGV[4] page size    ARGV[5] scan limit (messages examined at most)
-- ARGV[6] lowest score to consider ('-inf')    ARGV[7] score to stop before ('+inf')
-- ARGV[8] lowest urgency    ARGV[9] highest urgency    ARGV[10] event type ('' any; '-' none)
-- ARGV[11] part of a message type, lower case ('' any)    ARGV[12] message id ('' any)
-- Returns: { now ms, next cursor score ('' at the end), next cursor id, then per message: id, score, urgency,
--            enqueue ms, event type, packed headers, delivery count, message types }
--@include includes/now_ms
--@include includes/parse_record
--@include includes/message_types
--@include includes/inflight_member
--@include includes/delivery_count
local state = ARGV[1]
local sets = {
  ready = { q.ready, q.messages }, delayed = { q.delayed, q.messages }, inflight = { q.inflight, q.messages },
  error = { q.error.ready, q.error.messages }, skipped = { q.skipped.ready, q.skipped.messages },
}
local set, messages = sets[state][1], sets[state][2]
local page_size, scan_limit = tonumber(ARGV[4]), tonumber(ARGV[5])
local min_score, stop_score = ARGV[6], ARGV[7]
local min_u, max_u = tonumber(ARGV[8]), tonumber(ARGV[9])
local event_type, type_part, wanted_id = ARGV[10], ARGV[11], ARGV[12]
local out = { now_ms(), '', '' }

-- The cheap tests first; the message types are read from the record only when a filter or the page needs them.
local function matches(m)
  if not m then return min_u == 0 and event_type == '' and type_part == '' end
  local u = tonumber(m.u)
  if u < min_u or u > max_u then return false end
  if event_type == '-' and m.e ~= '' then return false end
  if event_type ~= '' and event_type ~= '-' and m.e ~= event_type then return false end
  if type_part ~= '' and not string.find(string.lower(message_types(m.h, m.body)), type_part, 1, true) then return false end
  return true
end

local function emit(member, score)
  -- In flight, the member carries the lease token after the id.
  local id = state == 'inflight' and id_of_member(member) or member
  local record = redis.call('HGET', messages, id)
  -- A message type found nowhere in the part of the record message_types reads (metadata, event type, headers, the
  -- body's first 8 KiB) cannot match: such a message is skipped without parsing the record.
  if type_part ~= '' and record then
    local meta, elen, hlen = string.match(string.sub(record, 1, 80), '^(%d+,%d+,%d+,%d+,(%d+),(%d+))|')
    local reach = meta and (#meta + 1 + tonumber(elen) + tonumber(hlen) + 8192) or #record
    if not string.find(string.lower(string.sub(record, 1, reach)), type_part, 1, true) then return false end
  end
  local m = parse_record(record)
  if not matches(m) then return false end
  local deliveries = delivery_count(q, id, state, m)
  out[#out + 1] = id
  out[#out + 1] = score
  out[#out + 1] = m and tonumber(m.u) or 0
  out[#out + 1] = m and tonumber(m.t) or 0
  out[#out + 1] = m and m.e or ''
  out[#out + 1] = m and m.h or ''
  out[#out + 1] = deliveries
  out[#out + 1] = m and message_types(m.h, m.body) or ''
  return true
end

if wanted_id ~= '' then
  -- One message by id: a lookup, not a scan.
  if state == 'inflight' then
    local member, expiry = inflight_member(q, wanted_id)
    if member then emit(member, expiry) end
  else
    local score = redis.call('ZSCORE', set, wanted_id)
    if score then emit(wanted_id, score) end
  end
  return out
end

-- The rank to start at: after the cursor's message while it is still there; else after its score (members with an
-- equal score sort by id, as Redis orders them); else the first message at or above the lowest score.
local rank
if ARGV[2] ~= '' then
  local score = redis.call('ZSCORE', set, ARGV[3])
  if score and tonumber(score) == tonumber(ARGV[2]) then
    rank = redis.call('ZRANK', set, ARGV[3]) + 1
  else
    rank = redis.call('ZCOUNT', set, '-inf', '(' .. ARGV[2])
    local equal = redis.call('ZRANGEBYSCORE', set, ARGV[2], ARGV[2], 'LIMIT', 0, scan_limit)
    for _, member in ipairs(equal) do
      if member <= ARGV[3] then rank = rank + 1 end
    end
  end
  if min_score ~= '-inf' then
    rank = math.max(rank, redis.call('ZCOUNT', set, '-inf', '(' .. min_score))
  end
else
  rank = min_score == '-inf' and 0 or redis.call('ZCOUNT', set, '-inf', '(' .. min_score)
end

local stop = stop_score == '+inf' and math.huge or tonumber(stop_score)
local found, examined, chunk = 0, 0, math.min(scan_limit, math.max(page_size, 64))
local last_score, last_id
while found < page_size and examined < scan_limit do
  local batch = redis.call('ZRANGE', set, rank, rank + math.min(chunk, scan_limit - examined) - 1, 'WITHSCORES')
  if #batch == 0 then last_score = nil; break end
  local ended = false
  for i = 1, #batch, 2 do
    if tonumber(batch[i + 1]) >= stop then ended = true; break end
    examined = examined + 1
    rank = rank + 1
    last_id, last_score = batch[i], batch[i + 1]
    if emit(batch[i], batch[i + 1]) then found = found + 1 end
    if found >= page_size or examined >= scan_limit then break end
  end
  if ended then last_score = nil; break end
end
-- A cursor only when something may follow.
if last_score and redis.call('ZCARD', set) > rank then
  local next_member = redis.call('ZRANGE', set, rank, rank, 'WITHSCORES')
  if #next_member > 0 and tonumber(next_member[2]) < stop then
    out[2], out[3] = last_score, last_id
  end
end
return out
