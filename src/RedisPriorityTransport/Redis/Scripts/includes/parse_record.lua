-- Splits a record; nil when it is not one (foreign or damaged data).
local function parse_record(record)
  if not record then return nil end
  local bar = string.find(record, '|', 1, true)
  if not bar then return nil end
  local u, r, s, t, elen, hlen = string.match(string.sub(record, 1, bar - 1), '^(%d+),(%d+),(%d+),(%d+),(%d+),(%d+)$')
  if not u then return nil end
  elen, hlen = tonumber(elen), tonumber(hlen)
  if bar + elen + hlen > #record then return nil end
  return {
    u = u, r = r, s = s, t = t,
    e = string.sub(record, bar + 1, bar + elen),
    h = string.sub(record, bar + elen + 1, bar + elen + hlen),
    body = string.sub(record, bar + elen + hlen + 1),
  }
end
