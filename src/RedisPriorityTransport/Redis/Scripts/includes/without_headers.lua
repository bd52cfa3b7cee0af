--@include includes/pack_header
--@include includes/unpack_headers
-- Packed headers without the entries whose names are keys of `names` (a set), or nil when the headers are damaged.
local function without_headers(packed, names)
  local entries = unpack_headers(packed)
  if not entries then return nil end
  local out = ''
  for _, entry in ipairs(entries) do
    if not names[entry[1]] then out = pack_header(out, entry[1], entry[2]) end
  end
  return out
end
