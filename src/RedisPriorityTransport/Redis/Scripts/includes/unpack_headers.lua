-- Splits packed headers into a list of { name, value } in their order; nil when they are damaged.
local function unpack_headers(packed)
  local entries, position = {}, 1
  while position <= #packed do
    local fields = {}
    for f = 1, 2 do
      local colon = string.find(packed, ':', position, true)
      if not colon then return nil end
      local length = tonumber(string.sub(packed, position, colon - 1))
      if not length or colon + length > #packed then return nil end
      fields[f] = string.sub(packed, colon + 1, colon + length)
      position = colon + length + 1
    end
    entries[#entries + 1] = fields
  end
  return entries
end
