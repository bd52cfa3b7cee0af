--@include includes/header_value
-- The MassTransit message types of a message, joined by ';': the MT-MessageType header (raw JSON and other
-- serializers), else the "messageType" array near the start of a MassTransit JSON envelope. Reads at most 8 KiB of
-- the body, so a large body costs no more than a small one.
local function message_types(packed_headers, body)
  local header = header_value(packed_headers, 'MT-MessageType')
  if header then return header end
  local head = string.sub(body, 1, 8192)
  local key = string.find(head, '"messageType"', 1, true)
  if not key then return '' end
  local open = string.find(head, '[', key, true)
  local close = open and string.find(head, ']', open, true)
  if not close then return '' end
  local types = {}
  for urn in string.gmatch(string.sub(head, open + 1, close - 1), '"([^"]*)"') do
    types[#types + 1] = urn
  end
  return table.concat(types, ';')
end
