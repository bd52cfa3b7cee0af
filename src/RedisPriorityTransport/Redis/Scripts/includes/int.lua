-- An integer as a decimal string. %d rather than Lua's own number formatting, which keeps only 14 digits, and rather
-- than %.0f: both format a double digit by digit, which costs a script several times more per number (every value is
-- exact below 2^53, and %d takes it as a 64-bit integer).
local function int(x)
  return string.format('%d', tonumber(x))
end
