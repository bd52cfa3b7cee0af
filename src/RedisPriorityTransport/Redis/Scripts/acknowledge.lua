-- Deletes a message that is in flight under the given lease token.
-- KEYS, in this order (the script reads them as q.<name>):
--@keys inflight messages deliveries settled
-- ARGV[1] id    ARGV[2] lease token    ARGV[3] duplicate detection window ms (0 = off)
-- Returns: 1 when deleted, 0 when the lease is not held (expired and taken by someone else, or already settled).
--@include includes/now_ms
--@include includes/acknowledge
return acknowledge_all(q, { ARGV[1] }, { ARGV[2] }, tonumber(ARGV[3]), now_ms())[1]
