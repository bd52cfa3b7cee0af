--@include includes/pack_header
--@include includes/unpack_headers
-- Packed headers with the entries of `updates` (packed too) replacing those of the same name, so a header written
-- again (fault details, a redelivery count) never makes the record grow. Damaged headers are kept as they are.
local function replace_headers(packed, updates)
  if updates == nil or updates == '' then return packed end
  local new_entries = unpack_headers(updates)
  local old_entries = unpack_headers(packed)
  if not new_entries or not old_entries then return packed .. updates end
  local replaced = {}
  for _, entry in ipairs(new_entries) do replaced[entry[1]] = true end
  local out = ''
  for _, entry in ipairs(old_entries) do
    if not replaced[entry[1]] then out = pack_header(out, entry[1], entry[2]) end
  end
  return out .. updates
end
