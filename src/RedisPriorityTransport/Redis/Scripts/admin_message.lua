-- Finds one message wherever it is in the queue (ready, delayed, in flight, error or skipped) and returns it whole.
-- KEYS, in this order (the script reads them as q.<name>):
--@keys ready delayed inflight messages deliveries error.ready error.messages skipped.ready skipped.messages
-- ARGV[1] message id
-- Returns: { state (ready, delayed, inflight, error, skipped, none), now ms, score in its set ('' if none),
--            stored record, delivery count, message types }, or { 'none', now ms } when it is not there.
--@include includes/now_ms
--@include includes/parse_record
--@include includes/message_types
--@include includes/inflight_member
--@include includes/delivery_count
local id = ARGV[1]
local now = now_ms()
local state, score, messages = 'none', nil, q.messages
for _, place in ipairs({ { 'ready', q.ready }, { 'delayed', q.delayed } }) do
  score = redis.call('ZSCORE', place[2], id)
  if score then state = place[1]; break end
end
if not score then
  local member, expiry = inflight_member(q, id)
  if member then state, score = 'inflight', expiry end
end
if not score then
  for _, place in ipairs({ { 'error', q.error.ready, q.error.messages }, { 'skipped', q.skipped.ready, q.skipped.messages } }) do
    score = redis.call('ZSCORE', place[2], id)
    if score then state, messages = place[1], place[3]; break end
  end
end
if not score then return { 'none', now } end
local record = redis.call('HGET', messages, id)
if not record then return { 'none', now } end
local m = parse_record(record)
local deliveries = delivery_count(q, id, state, m)
return { state, now, score, record, deliveries, m and message_types(m.h, m.body) or '' }
