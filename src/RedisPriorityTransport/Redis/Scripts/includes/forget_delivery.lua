-- Forgets the lease bookkeeping of a message that leaves the queue.
local function forget_delivery(deliveries_key, id)
  redis.call('HDEL', deliveries_key, id)
end
