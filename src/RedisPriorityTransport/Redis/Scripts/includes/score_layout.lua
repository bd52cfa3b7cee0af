-- The score layout (see docs/wire-format.md): (10 - urgency) * 2^49 + rank * 2^41 + sequence, always < 2^53,
-- so a double (Lua number, Redis score) holds it exactly.
local URGENCY_UNIT = 562949953421312 -- 2^49
local RANK_UNIT = 2199023255552      -- 2^41
local MAX_SEQUENCE = 2199023255551   -- 2^41 - 1
