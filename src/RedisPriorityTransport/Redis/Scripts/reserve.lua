-- Reserves up to N ready messages in priority order under a lease. First acknowledges the finished messages it is
-- given (so a consumer settles and refills its slots in one round trip), reclaims expired leases (back to ready at
-- their original place, or to the error queue past the maximum delivery count) and promotes due delayed messages.
-- While more expired leases or due messages remain than one call handles, it reserves nothing (and says "due now"),
-- so a lower class already ready never passes a more important message still waiting to be promoted.
-- KEYS, in this order (the script reads them as q.<name>):
--@keys ready delayed inflight sequence messages deliveries settled control error.ready error.sequence error.messages
-- ARGV[1] max messages    ARGV[2] lease ms    ARGV[3] max delivery count    ARGV[4] reason header
-- ARGV[5] housekeeping limit (expired leases and due messages handled per call)
-- ARGV[6] number of messages to acknowledge first (A)    ARGV[7..6+2A] pairs: id, lease token
-- ARGV[7+2A] duplicate detection window ms (0 = off)
-- ARGV[8+2A] lease token prefix (10 digits, random per client instance)    ARGV[9+2A] first token counter: the n-th
--   message's token is the prefix followed by (counter + n - 1) in 9 digits, so tokens never repeat across consumers
--   even when a failover loses writes (a per-queue counter could hand out a token again)
-- A paused queue reserves nothing; a rate-limited one at most what its window has left, and then the first value
-- is the ms until the window reopens when that comes before the next delayed message (so the caller waits, not spins).
-- Returns: { next delayed due in ms (-1 if none), now ms, lease expiry ms, returned count, dead-lettered count,
--            A, then per acknowledgement 1 (deleted) or 0 (lease no longer held),
--            then per message: id, record, delivery count, lease token }
--@include includes/now_ms
--@include includes/reserve_messages
local out, err = reserve_messages(q, ARGV, 0, now_ms())
if not out then return err end
return out
