-- Moves messages from the queue's error or skipped queue back to the queue, with their priority and headers (the
-- fault headers stay as history), a fresh sequence (they queue behind their class like a new message) and a delivery
-- count that starts again: the count a move wrote into the record is dropped (a per-message audit entry keeps it). An
-- id the error queue suffixed with '#n' (the message failed while an earlier copy was still there) returns to its own
-- id, unless that id is queued again; then it keeps the suffixed one.
-- KEYS, in this order (the script reads them as q.<name>):
--@keys ready sequence messages deliveries audit audit_index error.ready error.messages skipped.ready skipped.messages
-- ARGV[1] queue name    ARGV[2] user    ARGV[3] reason    ARGV[4] audit length    ARGV[5] audit age ms
-- ARGV[6] source: error or skipped    ARGV[7] wake channel of the queue    ARGV[8] mode: ids or all
-- ARGV[9] with mode all: how many to move at most    ARGV[10..] with mode ids: the ids in the source queue
-- Returns: { moved count, messages left in the source, now ms, then per moved message: its id in the source, its id
--            in the queue, urgency, audit entry id }. Mode ids writes one audit entry per message; mode all one per call
--            (message empty, details: count), so a large redrive does not flush the history (its entry id comes last).
--@include includes/score_of
--@include includes/now_ms
--@include includes/next_sequence
--@include includes/build_record
--@include includes/parse_record
--@include includes/forget_delivery
--@include includes/audit
--@include includes/urgency_fields
--@include includes/carried_deliveries
--@include includes/without_headers
local source = { ready = q.error.ready, messages = q.error.messages }
if ARGV[6] == 'skipped' then source = { ready = q.skipped.ready, messages = q.skipped.messages } end
local now = now_ms()
local ready_was_empty = redis.call('ZCARD', q.ready) == 0
local ids
if ARGV[8] == 'all' then
  ids = redis.call('ZRANGE', source.ready, 0, tonumber(ARGV[9]) - 1)
else
  ids = {}
  for i = 10, #ARGV do ids[#ids + 1] = ARGV[i] end
end

local out = { 0, 0, now }
local moved = 0
for _, id in ipairs(ids) do
  local m = parse_record(redis.call('HGET', source.messages, id))
  if m then
    local target = string.match(id, '^(.*)#%d+$') or id
    if redis.call('HEXISTS', q.messages, target) == 1 then target = id end
    if redis.call('HEXISTS', q.messages, target) == 0 then
      local s = next_sequence(q.sequence)
      if type(s) == 'table' then return s end
      redis.call('HDEL', source.messages, id)
      redis.call('ZREM', source.ready, id)
      redis.call('HSET', q.messages, target, build_record(m.u, m.r, s, m.t, m.e, without_headers(m.h, { [DELIVERIES_HEADER] = true }) or m.h, m.body))
      redis.call('ZADD', q.ready, score_of(m.u, m.r, s), target)
      forget_delivery(q.deliveries, target)
      moved = moved + 1
      local entry = ''
      if ARGV[8] ~= 'all' then
        local fields = { 'source', ARGV[6], 'sourceId', id, 'deliveries', tostring(carried_deliveries(m.h)) }
        entry = audit(q, now, 'Redrive', urgency_fields(fields, m.u, m.u), target)
      end
      out[#out + 1] = id
      out[#out + 1] = target
      out[#out + 1] = tonumber(m.u)
      out[#out + 1] = entry
    end
  end
end
if ARGV[8] == 'all' and moved > 0 then
  out[#out + 1] = audit(q, now, 'Redrive', { 'source', ARGV[6], 'count', tostring(moved) })
end
out[1] = moved
out[2] = redis.call('ZCARD', source.ready)
if moved > 0 and ready_was_empty then
  redis.call('PUBLISH', ARGV[7], 'w')
end
return out
