-- Shared helpers, inlined into every script that says: --@include _common
-- Score layout (see docs/wire-format.md): (10 - urgency) * 2^49 + rank * 2^41 + sequence, always < 2^53,
-- so a double (Lua number, Redis score) holds it exactly.
local URGENCY_UNIT = 562949953421312 -- 2^49
local RANK_UNIT = 2199023255552      -- 2^41
local MAX_SEQUENCE = 2199023255551   -- 2^41 - 1

-- Integers are written with %.0f: Lua's own number formatting keeps only 14 digits.
local function int(x)
  return string.format('%.0f', tonumber(x))
end

local function score_of(urgency, rank, sequence)
  return (10 - tonumber(urgency)) * URGENCY_UNIT + tonumber(rank) * RANK_UNIT + tonumber(sequence)
end

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function next_sequence(sequence_key)
  local s = redis.call('INCR', sequence_key)
  if s > MAX_SEQUENCE then
    return redis.error_reply('ERR rpt sequence exhausted for ' .. sequence_key)
  end
  return s
end

-- Appends one header in the packed form "<bytes>:<name><bytes>:<value>"; a later entry overrides an earlier one.
local function pack_header(packed, name, value)
  return (packed or '') .. #name .. ':' .. name .. #value .. ':' .. value
end

-- A message record: "<urgency>,<rank>,<sequence>,<enqueued ms>,<event type bytes>,<header bytes>|" followed by the
-- event type, the packed headers and the body. Sequence 0 means not yet assigned (a fresh delayed message).
local function build_record(u, r, s, t, e, h, body)
  return u .. ',' .. r .. ',' .. int(s) .. ',' .. int(t) .. ',' .. #e .. ',' .. #h .. '|' .. e .. h .. body
end

-- Splits a record; nil when it is not one (foreign or damaged data).
local function parse_record(record)
  if not record then return nil end
  local bar = string.find(record, '|', 1, true)
  if not bar then return nil end
  local u, r, s, t, elen, hlen = string.match(string.sub(record, 1, bar - 1), '^(%d+),(%d+),(%d+),(%d+),(%d+),(%d+)$')
  if not u then return nil end
  elen, hlen = tonumber(elen), tonumber(hlen)
  if bar + elen + hlen > #record then return nil end
  return {
    u = u, r = r, s = s, t = t,
    e = string.sub(record, bar + 1, bar + elen),
    h = string.sub(record, bar + elen + 1, bar + elen + hlen),
    body = string.sub(record, bar + elen + hlen + 1),
  }
end

-- Puts a stored message into the ready set at the place its priority and sequence give, assigning the sequence
-- first when it has none. Returns an error reply, or nil.
local function make_ready(ready_key, sequence_key, messages_key, id)
  local record = redis.call('HGET', messages_key, id)
  local m = parse_record(record)
  if not m then
    -- Damaged data still gets a place (last of all), so the consumer can report and skip it instead of losing it.
    local s = next_sequence(sequence_key)
    if type(s) == 'table' then return s end
    redis.call('ZADD', ready_key, score_of(0, 255, s), id)
    return nil
  end
  local s = m.s
  if s == '0' then
    s = next_sequence(sequence_key)
    if type(s) == 'table' then return s end
    redis.call('HSET', messages_key, id, build_record(m.u, m.r, s, m.t, m.e, m.h, m.body))
  end
  redis.call('ZADD', ready_key, score_of(m.u, m.r, s), id)
  return nil
end

-- Moves due delayed messages to the ready set, earliest due first, at most `limit`. Returns an error reply, or nil
-- and whether due messages remain (then the ready set's head may not be the most important due message yet).
local function promote_due(ready_key, delayed_key, sequence_key, messages_key, now, limit)
  local due = redis.call('ZRANGEBYSCORE', delayed_key, '-inf', now, 'LIMIT', 0, limit + 1)
  local more = #due > limit
  if more then due[#due] = nil end
  for _, id in ipairs(due) do
    redis.call('ZREM', delayed_key, id)
    if redis.call('HEXISTS', messages_key, id) == 1 then
      local err = make_ready(ready_key, sequence_key, messages_key, id)
      if err then return err end
    end
  end
  return nil, more
end

-- Forgets the lease bookkeeping of a message that leaves the queue.
local function forget_delivery(tokens_key, deliveries_key, id)
  redis.call('HDEL', tokens_key, id)
  redis.call('HDEL', deliveries_key, id)
end

-- Splits packed headers into a list of { name, value } in their order; nil when they are damaged.
local function unpack_headers(packed)
  local entries, position = {}, 1
  while position <= #packed do
    local fields = {}
    for f = 1, 2 do
      local colon = string.find(packed, ':', position, true)
      if not colon then return nil end
      local length = tonumber(string.sub(packed, position, colon - 1))
      if not length or colon + length > #packed then return nil end
      fields[f] = string.sub(packed, colon + 1, colon + length)
      position = colon + length + 1
    end
    entries[#entries + 1] = fields
  end
  return entries
end

-- Packed headers with the entries of `updates` (packed too) replacing those of the same name, so a header written
-- again (fault details, a redelivery count) never makes the record grow. Damaged headers are kept as they are.
local function replace_headers(packed, updates)
  if updates == nil or updates == '' then return packed end
  local new_entries = unpack_headers(updates)
  local old_entries = unpack_headers(packed)
  if not new_entries or not old_entries then return packed .. updates end
  local replaced = {}
  for _, entry in ipairs(new_entries) do replaced[entry[1]] = true end
  local out = ''
  for _, entry in ipairs(old_entries) do
    if not replaced[entry[1]] then out = pack_header(out, entry[1], entry[2]) end
  end
  return out .. updates
end

-- Moves a stored message to another queue of the same hash tag, keeping its priority and body; the reason (and any
-- extra packed headers) replace headers of the same name. A damaged record (or one the client could not read:
-- as_body) travels whole as the body of a new one. Returns the id it has in the destination, or an error reply.
local function move_message(messages_key, id, dest_messages, dest_ready, dest_sequence, reason_header, reason,
                            extra_headers, now, as_body)
  local record = redis.call('HGET', messages_key, id)
  redis.call('HDEL', messages_key, id)
  local m = not as_body and parse_record(record) or nil
  if not m then
    m = { u = '0', r = '255', e = '', h = '', body = record or '' }
    if not as_body then reason = reason .. ' (the stored record was unreadable and is kept as the body)' end
  end
  local dest_id = id
  if redis.call('HEXISTS', dest_messages, id) == 1 then
    -- The destination already holds a message with this id (an earlier failure): keep both.
    dest_id = id .. '#' .. redis.call('INCR', dest_sequence)
  end
  local s = next_sequence(dest_sequence)
  if type(s) == 'table' then return s end
  local headers = replace_headers(m.h, pack_header(extra_headers or '', reason_header, reason))
  redis.call('HSET', dest_messages, dest_id, build_record(m.u, m.r, s, now, m.e, headers, m.body))
  redis.call('ZADD', dest_ready, score_of(m.u, m.r, s), dest_id)
  return dest_id
end

-- Every script receives the queue's nine keys first, in this order (see docs/wire-format.md).
local function queue_keys()
  return {
    ready = KEYS[1], delayed = KEYS[2], inflight = KEYS[3], sequence = KEYS[4],
    lease = KEYS[5], messages = KEYS[6], tokens = KEYS[7], deliveries = KEYS[8], settled = KEYS[9],
  }
end

-- Remembers for window_ms that a message left the queue settled (acknowledged, dead-lettered, moved or cancelled),
-- so a resend of its id within the window is a duplicate. A window of 0 remembers nothing.
local function remember_settled(q, id, window_ms, now)
  if window_ms and window_ms > 0 then
    redis.call('ZADD', q.settled, now + window_ms, id)
  end
end

-- Forgets settled ids whose window has passed, at most 1000 a call; run by reserve, which runs anyway wherever
-- messages are settled, so the set holds little more than the ids still inside their window. Enqueue, on the
-- producer's path, does not trim: is_known compares the window's end with now. (ZRANGEBYSCORE and ZREM rather than
-- ZREMRANGEBYSCORE: the commands the documented ACL rule already allows.)
local function trim_settled(q, now)
  local expired = redis.call('ZRANGEBYSCORE', q.settled, '-inf', now, 'LIMIT', 0, 1000)
  if #expired > 0 then redis.call('ZREM', q.settled, unpack(expired)) end
end

-- True when the id is waiting, delayed or in flight, or was settled and its window has not passed.
local function is_known(q, id, now)
  if redis.call('HEXISTS', q.messages, id) == 1 then return true end
  local until_ms = redis.call('ZSCORE', q.settled, id)
  return until_ms ~= false and tonumber(until_ms) > now
end

-- A destination queue (error or skipped) follows as three keys: ready, sequence, messages.
local function target_keys(first)
  return { ready = KEYS[first], sequence = KEYS[first + 1], messages = KEYS[first + 2] }
end

-- True when the message is in flight under this lease token.
local function holds_lease(q, id, token)
  return redis.call('HGET', q.tokens, id) == token and redis.call('ZSCORE', q.inflight, id) ~= false
end

-- Deletes a message in flight under the lease token, remembering its id for window_ms. Returns 1, or 0 when the
-- lease is no longer held.
local function acknowledge(q, id, token, window_ms, now)
  if not holds_lease(q, id, token) then
    return 0
  end
  redis.call('ZREM', q.inflight, id)
  redis.call('HDEL', q.messages, id)
  forget_delivery(q.tokens, q.deliveries, id)
  remember_settled(q, id, window_ms, now)
  return 1
end
