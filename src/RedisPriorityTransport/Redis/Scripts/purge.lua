-- Deletes up to a limit of messages (ready, delayed and in flight) with their hashes; call until it returns 0.
-- KEYS[1] ready    KEYS[2] delayed    KEYS[3] in flight
-- ARGV[1] message key prefix    ARGV[2] limit
-- Returns: the number of messages deleted.
local limit = tonumber(ARGV[2])
local removed = 0
for k = 1, 3 do
  if removed >= limit then break end
  local popped = redis.call('ZPOPMIN', KEYS[k], limit - removed)
  for i = 1, #popped, 2 do
    redis.call('DEL', ARGV[1] .. popped[i])
    removed = removed + 1
  end
end
return removed
