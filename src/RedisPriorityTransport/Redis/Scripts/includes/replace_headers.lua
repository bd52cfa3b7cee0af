--@include includes/unpack_headers
--@include includes/without_headers
-- Packed headers with the entries of `updates` (packed too) replacing those of the same name, so a header written
-- again (fault details, a redelivery count) never makes the record grow. Damaged headers are kept as they are.
local function replace_headers(packed, updates)
  if updates == nil or updates == '' then return packed end
  local new_entries = unpack_headers(updates)
  if not new_entries then return packed .. updates end
  local names = {}
  for _, entry in ipairs(new_entries) do names[entry[1]] = true end
  return (without_headers(packed, names) or packed) .. updates
end
