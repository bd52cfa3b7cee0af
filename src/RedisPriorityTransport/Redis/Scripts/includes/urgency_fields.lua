--@include includes/band_of
-- The audit fields of a change of urgency from one level to another (either may be nil).
local function urgency_fields(fields, from, to)
  if from then
    fields[#fields + 1] = 'from'; fields[#fields + 1] = from
    fields[#fields + 1] = 'fromBand'; fields[#fields + 1] = band_of(from)
  end
  if to then
    fields[#fields + 1] = 'to'; fields[#fields + 1] = to
    fields[#fields + 1] = 'toBand'; fields[#fields + 1] = band_of(to)
  end
  return fields
end
