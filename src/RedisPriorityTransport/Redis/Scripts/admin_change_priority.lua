-- Sets the urgency of a waiting (ready or delayed) message and writes the audit entry, in one step. The message keeps
-- its event type, rank and enqueue sequence, so among the messages of its new class it stands where its age puts it.
-- KEYS, in this order (the script reads them as q.<name>):
--@keys ready delayed inflight messages audit audit_index error.messages skipped.messages
-- ARGV[1] queue name    ARGV[2] user    ARGV[3] reason    ARGV[4] audit length    ARGV[5] audit age ms
-- ARGV[6] message id    ARGV[7] new urgency (0..10)
-- Returns: { 1, previous urgency, audit entry id, now ms }, or { 0, state } when the message is not waiting
--          (state: inflight, error, skipped, none, or unreadable when its stored record is damaged).
--@include includes/now_ms
--@include includes/rescore_waiting
--@include includes/state_of
--@include includes/audit
--@include includes/urgency_fields
local id, urgency = ARGV[6], ARGV[7]
local m, in_ready = rescore_waiting(q, id, urgency, nil, nil)
if not m then
  return { 0, in_ready == 'unreadable' and 'unreadable' or state_of(q, id) }
end
local now = now_ms()
local entry = audit(q, now, 'ChangePriority', urgency_fields({ 'state', in_ready and 'ready' or 'delayed' }, m.u, urgency), id)
return { 1, tonumber(m.u), entry, now }
