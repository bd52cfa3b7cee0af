--@include includes/score_layout
-- As the decimal string ZADD takes: a number argument would be formatted by Redis with %.17g, which costs more (see int).
local function score_of(urgency, rank, sequence)
  return string.format('%d', (10 - tonumber(urgency)) * URGENCY_UNIT + tonumber(rank) * RANK_UNIT + tonumber(sequence))
end
