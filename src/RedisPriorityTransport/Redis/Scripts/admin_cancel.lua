-- Removes a waiting (ready or delayed) message and writes the audit entry, which keeps what the message was
-- (urgency, event type, message types), in one step. Like a consumed message, a cancelled one is remembered for the
-- queue's duplicate detection window (the control hash's 'window' field, recorded by the queue's consumers).
-- KEYS, in this order (the script reads them as q.<name>):
--@keys ready delayed inflight messages deliveries settled control audit audit_index error.messages skipped.messages
-- ARGV[1] queue name    ARGV[2] user    ARGV[3] reason    ARGV[4] audit length    ARGV[5] audit age ms
-- ARGV[6] message id
-- Returns: { 1, urgency, audit entry id, now ms, event type, message types }, or { 0, state } when it is not waiting.
--@include includes/now_ms
--@include includes/parse_record
--@include includes/take_waiting
--@include includes/state_of
--@include includes/message_types
--@include includes/audit
--@include includes/urgency_fields
--@include includes/remember_settled
local id = ARGV[6]
local state, record = take_waiting(q, id)
if not state then
  return { 0, state_of(q, id) }
end
local m = parse_record(record) or { u = '0', e = '', h = '', body = '' }
local now = now_ms()
remember_settled(q, id, tonumber(redis.call('HGET', q.control, 'window') or '0'), now)
local types = message_types(m.h, m.body)
local entry = audit(q, now, 'Cancel', urgency_fields({ 'state', state, 'eventType', m.e, 'messageType', types }, m.u, nil), id)
return { 1, tonumber(m.u), entry, now, m.e, types }
