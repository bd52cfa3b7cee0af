--@include includes/queue_keys
--@include includes/target_keys
local function admin_keys()
  local q = queue_keys()
  q.error = target_keys(10)
  q.skipped = target_keys(13)
  q.control = KEYS[16]
  q.audit = KEYS[17]
  q.audit_index = KEYS[18]
  return q
end
