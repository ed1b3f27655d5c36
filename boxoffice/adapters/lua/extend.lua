-- extend.lua — a clerk gives their own live hold more time (the customer is still deciding): the hold's expiry moves
-- to now + ttl (never earlier than it was), at most a given number of times per hold. No seat changes, so the
-- session's version and change stream are untouched (the live maps have nothing to redraw).
-- Refused without writing anything: a hold that is not live (released, confirmed, gone), one past its expiry (the
-- sweep is giving it back), one made before a rebuild of the seat map (another epoch), another clerk's hold, and one
-- already extended the most times allowed.
--
-- KEYS[1] meta  KEYS[2] hold:<token> (hash)  KEYS[3] holds (zset token -> expiry ms)
-- ARGV[1] token  ARGV[2] clerk  ARGV[3] ttl (ms, from now)  ARGV[4] record kept for (ms after the new expiry)
-- ARGV[5] most extensions allowed per hold
-- The hold's record gains the field `ext`: how many times it was extended.
--
-- Returns {'OK', expires_ms, extensions} or one of
--   {'HOLD_OVER', state}    no live hold under the token (state: none | released | confirmed | ...)
--   {'HOLD_EXPIRED', exp}   past its expiry            {'TOKEN_STALE'}       made before a rebuild of the seat map
--   {'HOLD_FOREIGN'}        another clerk's hold       {'HOLD_LIMIT', n}     already extended n times
local hold = redis.call('HMGET', KEYS[2], 'state', 'exp', 'clerk', 'epoch', 'ext')
if not hold[1] then return {'HOLD_OVER', 'none'} end
if hold[1] ~= 'held' then return {'HOLD_OVER', hold[1]} end
if hold[3] ~= ARGV[2] then return {'HOLD_FOREIGN'} end
if (hold[4] or '0') ~= (redis.call('HGET', KEYS[1], 'epoch') or '0') then return {'TOKEN_STALE'} end

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local exp = tonumber(hold[2] or '0')
if exp <= now then return {'HOLD_EXPIRED', hold[2] or '0'} end
local ext = tonumber(hold[5] or '0')
if ext >= tonumber(ARGV[5]) then return {'HOLD_LIMIT', ext} end

local expires = math.max(exp, now + tonumber(ARGV[3]))
redis.call('HSET', KEYS[2], 'exp', string.format('%d', expires), 'ext', ext + 1)
redis.call('PEXPIRE', KEYS[2], expires - now + tonumber(ARGV[4]))
redis.call('ZADD', KEYS[3], 'XX', expires, ARGV[1])
return {'OK', string.format('%d', expires), ext + 1}
