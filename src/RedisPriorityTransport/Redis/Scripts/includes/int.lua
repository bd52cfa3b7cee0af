-- Integers are written with %.0f: Lua's own number formatting keeps only 14 digits.
local function int(x)
  return string.format('%.0f', tonumber(x))
end
