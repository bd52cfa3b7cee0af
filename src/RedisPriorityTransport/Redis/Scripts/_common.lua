-- Shared helpers, inlined into every script that says: --@include _common
-- Score layout (see docs/wire-format.md): (10 - urgency) * 2^49 + rank * 2^41 + sequence, always < 2^53,
-- so a double (Lua number, Redis score) holds it exactly.
local URGENCY_UNIT = 562949953421312 -- 2^49
local RANK_UNIT = 2199023255552      -- 2^41
local MAX_SEQUENCE = 2199023255551   -- 2^41 - 1

-- A hash written by something else may lack urgency, rank or sequence: it then sorts as urgency 0, unranked, instead of
-- failing the script half-way (Redis does not roll back what a failed script already wrote).
local function score_of(urgency, rank, sequence)
  return (10 - (tonumber(urgency) or 0)) * URGENCY_UNIT + (tonumber(rank) or 255) * RANK_UNIT + (tonumber(sequence) or 0)
end

-- True when the key holds a message hash; a missing key or foreign data of another type is not a message.
local function is_message(key)
  return redis.call('TYPE', key).ok == 'hash'
end

-- The delivery count so far; a foreign or damaged value counts as none.
local function deliveries_of(key)
  return tonumber(redis.call('HGET', key, 'd')) or 0
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

-- Puts a message whose hash exists back into the ready set at the place its stored priority and sequence give.
local function make_ready(ready_key, sequence_key, message_key, id)
  local f = redis.call('HMGET', message_key, 'u', 'r', 's')
  local s = f[3]
  if not s then
    s = next_sequence(sequence_key)
    if type(s) == 'table' then return s end
    redis.call('HSET', message_key, 's', s)
  end
  redis.call('ZADD', ready_key, score_of(f[1], f[2], s), id)
  return false
end

-- Moves due delayed messages to the ready set, earliest due first. Returns the number promoted.
local function promote_due(ready_key, delayed_key, sequence_key, message_prefix, now, limit)
  local due = redis.call('ZRANGEBYSCORE', delayed_key, '-inf', now, 'LIMIT', 0, limit)
  for _, id in ipairs(due) do
    redis.call('ZREM', delayed_key, id)
    local key = message_prefix .. id
    if is_message(key) then
      local err = make_ready(ready_key, sequence_key, key, id)
      if err then return err end
    end
  end
  return #due
end

-- Moves an existing message hash to another queue of the same hash tag, keeping its priority and body,
-- adding the reason (and any extra packed headers) to its headers. Returns the id it has in the destination.
local function move_message(message_key, id, dest_prefix, dest_ready, dest_sequence, reason_header, reason, extra_headers, now)
  local dest_id = id
  local dest_key = dest_prefix .. id
  if redis.call('EXISTS', dest_key) == 1 then
    -- The destination already holds a message with this id (an earlier failure): keep both.
    dest_id = id .. '#' .. redis.call('INCR', dest_sequence)
    dest_key = dest_prefix .. dest_id
  end
  redis.call('RENAME', message_key, dest_key)
  local s = next_sequence(dest_sequence)
  if type(s) == 'table' then return s end
  local headers = redis.call('HGET', dest_key, 'h') or ''
  headers = headers .. (extra_headers or '')
  headers = pack_header(headers, reason_header, reason)
  redis.call('HSET', dest_key, 's', s, 't', now, 'd', 0, 'h', headers)
  redis.call('HDEL', dest_key, 'k')
  local f = redis.call('HMGET', dest_key, 'u', 'r')
  redis.call('ZADD', dest_ready, score_of(f[1], f[2], s), dest_id)
  return dest_id
end
