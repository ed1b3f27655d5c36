-- sales.lua — set a session's on-sale flag and sales window (session open / close, the sales-window job).
-- Writes nothing when the session has no seat map here: a rebuild from the database brings both.
--
-- KEYS[1] meta
-- ARGV[1] on sale (1 | 0)  ARGV[2] sales close (ms since the Unix epoch; '' none)  ARGV[3] sales open (ms; '' none)
--
-- Returns 1, or 0 when the session has no meta
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'onsale', ARGV[1])
if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'closes_ms', ARGV[2]) else redis.call('HDEL', KEYS[1], 'closes_ms') end
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'opens_ms', ARGV[3]) else redis.call('HDEL', KEYS[1], 'opens_ms') end
return 1
