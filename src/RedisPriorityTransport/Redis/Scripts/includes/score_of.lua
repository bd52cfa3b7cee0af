--@include includes/score_layout
local function score_of(urgency, rank, sequence)
  return (10 - tonumber(urgency)) * URGENCY_UNIT + tonumber(rank) * RANK_UNIT + tonumber(sequence)
end
