-- A message record: "<urgency>,<rank>,<sequence>,<enqueued ms>,<event type bytes>,<header bytes>|" followed by the
-- event type, the packed headers and the body. Sequence 0 means not yet assigned (a fresh delayed message). The numbers
-- go through one format (see int); the body is joined once.
local function build_record(u, r, s, t, e, h, body)
  return string.format('%s,%s,%d,%d,%d,%d|', u, r, s, t, #e, #h) .. e .. h .. body
end
