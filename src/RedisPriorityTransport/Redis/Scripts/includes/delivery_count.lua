--@include includes/carried_deliveries
-- The deliveries a message is in, for the admin's reads. In the queue the hash stores those that ended unsettled, and
-- a message in flight is in the next one; in the error or skipped queue, the message carries those it was moved after.
local function delivery_count(q, id, state, m)
  if state == 'error' or state == 'skipped' then return carried_deliveries(m and m.h) end
  return tonumber(redis.call('HGET', q.deliveries, id) or '0') + (state == 'inflight' and 1 or 0)
end
