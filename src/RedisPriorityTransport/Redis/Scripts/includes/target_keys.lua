-- A destination queue (error or skipped) follows as three keys: ready, sequence, messages.
local function target_keys(first)
  return { ready = KEYS[first], sequence = KEYS[first + 1], messages = KEYS[first + 2] }
end
