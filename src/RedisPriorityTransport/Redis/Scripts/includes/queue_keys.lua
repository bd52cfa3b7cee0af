-- Every script receives the queue's nine keys first, in this order (see docs/wire-format.md).
local function queue_keys()
  return {
    ready = KEYS[1], delayed = KEYS[2], inflight = KEYS[3], sequence = KEYS[4],
    lease = KEYS[5], messages = KEYS[6], tokens = KEYS[7], deliveries = KEYS[8], settled = KEYS[9],
  }
end
