-- Receive loops that wait for messages with free slots register in q.sleepers: loop id → the Redis time (ms) by which
-- the loop reserves again without being woken (a loop with messages running reserves when one finishes, or when its
-- short wait ends). A wake-up is published only when some registered loop would wait longer than WAKE_BUDGET_MS: under
-- load a loop with messages running comes back by itself, and the notification would only cost both sides a hop.
local WAKE_BUDGET_MS = 2
-- An entry this far past its time was left by a loop that stopped without saying so.
local SLEEPER_STALE_MS = 60000

-- Called by reserve for a loop that registers: what it will do after this reply, as the loop itself decides it (see
-- QueueConsumer). requested = 0 or a full reply: the loop is not waiting for messages.
local function register_sleeper(sleepers, loop_id, requested, returned, running, busy_wait_ms, idle_wait_ms, now)
  if requested == 0 or returned >= requested then
    redis.call('HDEL', sleepers, loop_id)
  else
    local wait = (returned > 0 or running > 0) and busy_wait_ms or idle_wait_ms
    redis.call('HSET', sleepers, loop_id, int(now + wait))
  end
end

-- Called by enqueue when it made a drained queue non-empty. Without live registrations (older consumers, the engine's
-- own reserve calls, no consumer at all) the wake-up is always published.
local function wake_needed(sleepers, now)
  local entries = redis.call('HGETALL', sleepers)
  local live, needed = 0, false
  for i = 2, #entries, 2 do
    local until_ms = tonumber(entries[i])
    if not until_ms or until_ms < now - SLEEPER_STALE_MS then
      redis.call('HDEL', sleepers, entries[i - 1])
    else
      live = live + 1
      if until_ms > now + WAKE_BUDGET_MS then needed = true end
    end
  end
  return needed or live == 0
end
