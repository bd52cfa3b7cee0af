-- The value of one packed header ("<bytes>:<name><bytes>:<value>" repeated; the last entry of a name wins), or nil.
local function header_value(packed, wanted)
  local found, position, length = nil, 1, #packed
  while position <= length do
    local colon = string.find(packed, ':', position, true)
    if not colon then return found end
    local name_length = tonumber(string.sub(packed, position, colon - 1))
    if not name_length then return found end
    local name = string.sub(packed, colon + 1, colon + name_length)
    position = colon + name_length + 1
    colon = string.find(packed, ':', position, true)
    if not colon then return found end
    local value_length = tonumber(string.sub(packed, position, colon - 1))
    if not value_length then return found end
    if name == wanted then found = string.sub(packed, colon + 1, colon + value_length) end
    position = colon + value_length + 1
  end
  return found
end
