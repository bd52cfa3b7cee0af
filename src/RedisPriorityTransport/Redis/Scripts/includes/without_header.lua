--@include includes/pack_header
--@include includes/unpack_headers
-- Packed headers without the entries of one name. Damaged headers are kept as they are.
local function without_header(packed, name)
  local entries = unpack_headers(packed)
  if not entries then return packed end
  local out = ''
  for _, entry in ipairs(entries) do
    if entry[1] ~= name then out = pack_header(out, entry[1], entry[2]) end
  end
  return out
end
