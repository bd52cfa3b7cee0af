--@include includes/header_value
-- The header in which a message moved to an error or skipped queue carries the deliveries it was moved after. Not in
-- that queue's deliveries hash: the hash counts deliveries in that queue, which may be consumed as a queue itself.
local DELIVERIES_HEADER = 'rpt-delivery-count'

-- The deliveries a moved message carries: 0 when it has none (moved by an older version) or the value is damaged.
local function carried_deliveries(packed)
  return tonumber(header_value(packed or '', DELIVERIES_HEADER) or '0') or 0
end
