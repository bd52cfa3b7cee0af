-- Reserves up to N ready messages in priority order under a lease. First acknowledges the finished messages it is
-- given (so a consumer settles and refills its slots in one round trip), reclaims expired leases (back to ready at
-- their original place, or to the error queue past the maximum delivery count) and promotes due delayed messages.
-- While more expired leases or due messages remain than one call handles, it reserves nothing (and says "due now"),
-- so a lower class already ready never passes a more important message still waiting to be promoted.
-- KEYS, in this order (the script reads them as q.<name>):
--@keys ready delayed inflight sequence messages deliveries settled control error.ready error.sequence error.messages sleepers
-- ARGV[1] max messages    ARGV[2] lease ms    ARGV[3] max delivery count    ARGV[4] reason header
-- ARGV[5] housekeeping limit (expired leases and due messages handled per call)
-- ARGV[6] number of messages to acknowledge first (A)    ARGV[7..6+2A] pairs: id, lease token
-- ARGV[7+2A] duplicate detection window ms (0 = off)
-- ARGV[8+2A] lease token prefix (10 digits, random per client instance)    ARGV[9+2A] first token counter: the n-th
--   message's token is the prefix followed by (counter + n - 1) in 9 digits, so tokens never repeat across consumers
--   even when a failover loses writes (a per-queue counter could hand out a token again)
-- ARGV[10+2A] the calling loop's id for q.sleepers (absent: the caller does not register)
-- ARGV[11+2A] messages running in the loop when it sent this call    ARGV[12+2A] ms it waits after a short reply while
--   messages run    ARGV[13+2A] ms it waits after an empty reply with none running (see includes/sleepers)
-- A paused queue reserves nothing; a rate-limited one at most what its window has left, and then the first value
-- is the ms until the window reopens when that comes before the next delayed message (so the caller waits, not spins).
-- Returns: { next delayed due in ms (-1 if none), now ms, lease expiry ms, returned count, dead-lettered count,
--            A, then per acknowledgement 1 (deleted) or 0 (lease no longer held),
--            then per message: id, record, delivery count, lease token }
--@include includes/now_ms
--@include includes/int
--@include includes/acknowledge
--@include includes/trim_settled
--@include includes/reclaim_expired
--@include includes/promote_due
--@include includes/admission
--@include includes/sleepers
local max_messages, lease_ms, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[5])
local now = now_ms()

local acknowledged = {}
local ack_count = tonumber(ARGV[6] or '0')
local window_ms = tonumber(ARGV[7 + 2 * ack_count])
-- The deliveries hash counts only deliveries that ended unsettled: while no message was redelivered it does not
-- exist, and neither acknowledging nor reserving needs a command per message for it.
if ack_count > 0 then
  local ids, tokens = {}, {}
  for i = 1, ack_count do
    ids[i], tokens[i] = ARGV[5 + 2 * i], ARGV[6 + 2 * i]
  end
  acknowledged = acknowledge_all(q, ids, tokens, window_ms, now, redis.call('EXISTS', q.deliveries) == 1)
end
trim_settled(q, now)

local returned, dead, more_expired = reclaim_expired(q, tonumber(ARGV[3]), ARGV[4], now, limit, window_ms)
if type(returned) == 'table' then return returned end
local err, more_due, head = promote_due(q.ready, q.delayed, q.sequence, q.messages, now, limit)
if err then return err end
local backlog = more_expired or more_due
if backlog then max_messages = 0 end

local token_prefix, token_counter = ARGV[8 + 2 * ack_count], tonumber(ARGV[9 + 2 * ack_count])
local expiry = now + lease_ms
local expiry_text = int(expiry)
local out = { -1, now, expiry, returned, dead, ack_count }
for i = 1, ack_count do
  out[#out + 1] = acknowledged[i]
end
local admitted, reopens_in, spend = admission(q.control, max_messages, now)
if admitted > 0 then
  local popped = redis.call('ZPOPMIN', q.ready, int(admitted))
  spend(#popped / 2)
  if #popped > 0 then
    local ids = {}
    for i = 1, #popped, 2 do ids[#ids + 1] = popped[i] end
    -- One HMGET for the records, one for the earlier unsettled deliveries, one ZADD for the leases: not one each.
    local records = call_chunked('HMGET', q.messages, ids)
    local earlier = redis.call('EXISTS', q.deliveries) == 1 and call_chunked('HMGET', q.deliveries, ids) or nil
    local leases = {}
    for i = 1, #ids do
      local id, record = ids[i], records[i]
      -- A member without its record was left by a foreign writer; there is nothing to deliver.
      if record then
        local token = token_prefix .. string.format('%09d', token_counter)
        token_counter = token_counter + 1
        leases[#leases + 1] = expiry_text
        leases[#leases + 1] = lease_member(id, token)
        out[#out + 1] = id
        out[#out + 1] = record
        -- This delivery, and those before it that ended unsettled.
        out[#out + 1] = earlier and tonumber(earlier[i] or '0') + 1 or 1
        out[#out + 1] = token
      end
    end
    if #leases > 0 then call_chunked('ZADD', q.inflight, leases) end
  end
end
if backlog then
  out[1] = 0
elseif #head > 0 then
  out[1] = math.max(0, tonumber(head[2]) - now)
end
if reopens_in and (out[1] < 0 or reopens_in < out[1]) then
  out[1] = reopens_in
end
local loop_id = ARGV[10 + 2 * ack_count]
if loop_id and loop_id ~= '' then
  local o = 10 + 2 * ack_count
  -- A backlog still to promote or reclaim makes the caller call again at once: it is not waiting.
  register_sleeper(q.sleepers, loop_id, backlog and 0 or tonumber(ARGV[1]), (#out - 6 - ack_count) / 4,
    tonumber(ARGV[o + 1]), tonumber(ARGV[o + 2]), tonumber(ARGV[o + 3]), now)
end
return out
