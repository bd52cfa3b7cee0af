--@include includes/int
-- A message record: "<urgency>,<rank>,<sequence>,<enqueued ms>,<event type bytes>,<header bytes>|" followed by the
-- event type, the packed headers and the body. Sequence 0 means not yet assigned (a fresh delayed message).
local function build_record(u, r, s, t, e, h, body)
  return u .. ',' .. r .. ',' .. int(s) .. ',' .. int(t) .. ',' .. #e .. ',' .. #h .. '|' .. e .. h .. body
end
