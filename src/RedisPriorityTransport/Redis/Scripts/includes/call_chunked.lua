-- Runs a variadic command (HMGET, HDEL, ZADD) once for a whole list instead of once per element: inside a script
-- every redis.call costs far more than the command itself. The list goes in chunks of 1,000 values (an even number,
-- so ZADD's score-member pairs stay whole), because unpack puts every value on Lua's stack, which holds about 8,000.
-- Returns the replies' elements in order (HMGET), or {} for commands that return a number.
local function call_chunked(command, key, values)
  local replies = {}
  for first = 1, #values, 1000 do
    local reply = redis.call(command, key, unpack(values, first, math.min(first + 999, #values)))
    if type(reply) == 'table' then
      -- Not ipairs: HMGET answers false for a missing field, and ipairs would stop there.
      for i = 1, #reply do replies[#replies + 1] = reply[i] end
    end
  end
  return replies
end
