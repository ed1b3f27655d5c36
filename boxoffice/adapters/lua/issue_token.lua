-- issue_token.lua — step 1 of a sale (DESIGN §2): hand out an order token, or refuse without touching PostgreSQL.
--
-- KEYS[1] meta    hash  {onsale, capacity, epoch, closes_ms, opens_ms}   bo:{s<id>}:meta
-- KEYS[2] stock   int   free seats                         bo:{s<id>}:stock
-- KEYS[3] tokens  zset  outstanding token -> expiry (ms)   bo:{s<id>}:tokens
-- KEYS[4] tok     hash  the new token's record             bo:{s<id>}:tok:<token>
-- ARGV[1] token (random, unguessable; made by the caller)   ARGV[2] session id   ARGV[3] clerk
-- ARGV[4] seats wanted   ARGV[5] token ttl (ms)   ARGV[6] record kept for (ms, >= ttl)
-- ARGV[7] gate: outstanding tokens allowed per order the free stock can still satisfy   ARGV[8] gate floor
--
-- Returns {'OK', expires_ms, epoch} or one of
--   {'REDIS_EMPTY'}            the session has no keys here (rebuild from the database)
--   {'NOT_ON_SALE'}            the session is closed
--   {'SALES_CLOSED', closes_ms} the sales window closed (meta closes_ms <= Redis TIME)
--   {'NOT_OPEN', opens_ms}     the sales window is not open yet
--   {'SOLD_OUT', free}         free stock < seats wanted
--   {'GATE_FULL', limit}       too many outstanding tokens for the stock left
--   {'BAD_REQUEST'}            seats wanted is not a positive whole number
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

local meta = redis.call('HMGET', KEYS[1], 'onsale', 'closes_ms', 'opens_ms')
local onsale = meta[1]
if not onsale then return {'REDIS_EMPTY'} end
if onsale ~= '1' then return {'NOT_ON_SALE'} end
-- the sales window, against the Redis clock: refused from the close on even before the scheduler flips the flag
if meta[2] and now >= tonumber(meta[2]) then return {'SALES_CLOSED', meta[2]} end
if meta[3] and now < tonumber(meta[3]) then return {'NOT_OPEN', meta[3]} end

local wanted = tonumber(ARGV[4])
if not wanted or wanted < 1 or wanted % 1 ~= 0 then return {'BAD_REQUEST'} end
local free = tonumber(redis.call('GET', KEYS[2]) or '0')
if free < wanted then return {'SOLD_OUT', free} end

redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
local limit = math.max(tonumber(ARGV[8]), math.ceil(free / wanted * tonumber(ARGV[7])))
if redis.call('ZCARD', KEYS[3]) >= limit then return {'GATE_FULL', limit} end

local expires = now + tonumber(ARGV[5])
local epoch = redis.call('HGET', KEYS[1], 'epoch') or '0'
redis.call('HSET', KEYS[4], 'session', ARGV[2], 'clerk', ARGV[3], 'n', wanted, 'epoch', epoch,
           'exp', string.format('%d', expires), 'used', '0')
redis.call('PEXPIRE', KEYS[4], tonumber(ARGV[6]))
redis.call('ZADD', KEYS[3], expires, ARGV[1])
return {'OK', string.format('%d', expires), epoch}
