local function band_of(urgency)
  local u = tonumber(urgency)
  if u >= 8 then return 'High' elseif u >= 4 then return 'Normal' else return 'Low' end
end
