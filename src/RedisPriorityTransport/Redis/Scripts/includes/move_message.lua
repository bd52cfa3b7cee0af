--@include includes/score_of
--@include includes/next_sequence
--@include includes/pack_header
--@include includes/build_record
--@include includes/parse_record
--@include includes/replace_headers
--@include includes/carried_deliveries
-- Moves a stored message to another queue of the same hash tag, keeping its priority and body; the reason, the
-- deliveries it is moved after (DELIVERIES_HEADER) and any extra packed headers replace headers of the same name. A
-- damaged record (or one the client could not read: as_body) travels whole as the body of a new one. Returns the id it
-- has in the destination, or an error reply.
local function move_message(messages_key, id, dest_messages, dest_ready, dest_sequence, reason_header, reason,
                            extra_headers, now, as_body, deliveries)
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
  local updates = pack_header(pack_header(extra_headers or '', reason_header, reason), DELIVERIES_HEADER, tostring(deliveries))
  local headers = replace_headers(m.h, updates)
  redis.call('HSET', dest_messages, dest_id, build_record(m.u, m.r, s, now, m.e, headers, m.body))
  redis.call('ZADD', dest_ready, score_of(m.u, m.r, s), dest_id)
  return dest_id
end
