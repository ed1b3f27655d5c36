-- rebuild.lua — replace a session's inventory with the picture from PostgreSQL (warm on creation, repair).
-- Bumps the epoch, so tokens and holds from before the rebuild are refused / free nothing. The version keeps
-- growing even when Redis lost the session (it restarts from the clock), so live maps never see it go back.
--
-- KEYS[1] meta  KEYS[2] seats (bitmap taken)  KEYS[3] sold (bitmap)  KEYS[4] stock  KEYS[5] tokens (zset)
-- KEYS[6] holds (zset)  KEYS[7] ver  KEYS[8] changes (stream)  KEYS[9] owners (hash seat index -> "order id:line id")
-- ARGV[1] capacity  ARGV[2] on sale (1 | 0)  ARGV[3] taken bitmap  ARGV[4] sold bitmap  ARGV[5] free seats
-- ARGV[6] owners of the sold seats, "index:order:line,index:order:line,..."
-- ARGV[7] the latest ended order line of each other seat that ever had one, "index:line,..." (kept as "x:line": a
--         late confirmation of that line must not bring it back)
-- ARGV[8] sales close (ms since the Unix epoch; '' none)  ARGV[9] sales open (ms; '' none)
--
-- Returns {'OK', epoch, version}
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local epoch = math.max(tonumber(redis.call('HGET', KEYS[1], 'epoch') or '0') + 1, now)

redis.call('SET', KEYS[2], ARGV[3])
redis.call('SET', KEYS[3], ARGV[4])
redis.call('SET', KEYS[4], ARGV[5])
redis.call('HSET', KEYS[1], 'capacity', ARGV[1], 'onsale', ARGV[2], 'epoch', string.format('%d', epoch))
-- the sales window (ms since the epoch; '' or absent: none)
if ARGV[8] and ARGV[8] ~= '' then redis.call('HSET', KEYS[1], 'closes_ms', ARGV[8])
else redis.call('HDEL', KEYS[1], 'closes_ms') end
if ARGV[9] and ARGV[9] ~= '' then redis.call('HSET', KEYS[1], 'opens_ms', ARGV[9])
else redis.call('HDEL', KEYS[1], 'opens_ms') end
redis.call('DEL', KEYS[5], KEYS[6], KEYS[9])
for idx, owner in string.gmatch(ARGV[6], '(%d+):(%d+:%d+)') do redis.call('HSET', KEYS[9], idx, owner) end
for idx, line in string.gmatch(ARGV[7] or '', '(%d+):(%d+)') do redis.call('HSET', KEYS[9], idx, 'x:' .. line) end
if redis.call('EXISTS', KEYS[7]) == 0 then redis.call('SET', KEYS[7], string.format('%d', now)) end
local version = redis.call('INCR', KEYS[7])
redis.call('XADD', KEYS[8], 'MAXLEN', '~', '10000', '*', 'v', version, 'op', 'rebuild', 'seats', '')
return {'OK', string.format('%d', epoch), version}
