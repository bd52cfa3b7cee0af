-- Appends one header in the packed form "<bytes>:<name><bytes>:<value>"; a later entry overrides an earlier one.
local function pack_header(packed, name, value)
  return (packed or '') .. #name .. ':' .. name .. #value .. ':' .. value
end
