-- deduct.lua — step 2 of a sale (DESIGN §2): all-or-nothing deduction of the requested seats under a token.
-- Validates everything first, then writes: Lua does not roll back. A seat conflict spends the token (the clerk's
-- screen refreshes and the sale starts again from step 1) but writes no seat state.
--
-- KEYS[1] meta  KEYS[2] seats (bitmap taken)  KEYS[3] stock  KEYS[4] tokens (zset)  KEYS[5] tok:<token> (hash)
-- KEYS[6] hold:<token> (hash)  KEYS[7] holds (zset token -> expiry ms)  KEYS[8] ver  KEYS[9] changes (stream)
-- ARGV[1] token  ARGV[2] session id  ARGV[3] hold ttl (ms)  ARGV[4] hold record kept for (ms, >= hold ttl)
-- ARGV[5] clerk  ARGV[6..] seat indices (distinct, within capacity)
-- The change-stream entry is {v, op = 'hold', seats, by = clerk} (the clerk: a seat's history names who held it).
--
-- Returns {'OK', version, hold_expires_ms} or one of
--   {'TOKEN_INVALID'}  unknown token          {'WRONG_SESSION'}  token of another session
--   {'TOKEN_STALE'}    issued before a rebuild {'TOKEN_USED'}     already spent (see the hold for its fate)
--   {'TOKEN_EXPIRED'}  past its ttl          {'WRONG_COUNT', n} token was issued for n seats
--   {'SEATS_TAKEN', idx...}  these seats are taken (the token is spent: retry from step 1)   {'SOLD_OUT', free}
--   {'BAD_SEATS', arg}  an index that is repeated, not a whole number or outside the session's capacity
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local first = 6

local tok = redis.call('HMGET', KEYS[5], 'session', 'n', 'epoch', 'exp', 'used')
if not tok[1] then return {'TOKEN_INVALID'} end
if tok[1] ~= ARGV[2] then return {'WRONG_SESSION'} end
local epoch = redis.call('HGET', KEYS[1], 'epoch') or '0'
if tok[3] ~= epoch then return {'TOKEN_STALE'} end
if tok[5] ~= '0' then return {'TOKEN_USED'} end
if tonumber(tok[4]) < now then return {'TOKEN_EXPIRED'} end
local n = #ARGV - first + 1
if n ~= tonumber(tok[2]) then return {'WRONG_COUNT', tok[2]} end

local capacity = tonumber(redis.call('HGET', KEYS[1], 'capacity') or '0')
local seen = {}
for i = first, #ARGV do
  local idx = tonumber(ARGV[i])
  if not idx or idx < 0 or idx >= capacity or idx % 1 ~= 0 or seen[idx] then return {'BAD_SEATS', ARGV[i]} end
  seen[idx] = true
end

local taken = {'SEATS_TAKEN'}
for i = first, #ARGV do
  if redis.call('GETBIT', KEYS[2], ARGV[i]) == 1 then taken[#taken + 1] = ARGV[i] end
end
if #taken > 1 then
  redis.call('HSET', KEYS[5], 'used', 'conflict')
  redis.call('ZREM', KEYS[4], ARGV[1])
  return taken
end
local free = tonumber(redis.call('GET', KEYS[3]) or '0')
if free < n then return {'SOLD_OUT', free} end

-- everything checked: write
for i = first, #ARGV do redis.call('SETBIT', KEYS[2], ARGV[i], 1) end
redis.call('DECRBY', KEYS[3], n)
local seats = table.concat(ARGV, ',', first)
local expires = now + tonumber(ARGV[3])
redis.call('HSET', KEYS[6], 'state', 'held', 'seats', seats, 'exp', string.format('%d', expires), 'clerk', ARGV[5], 'epoch', epoch,
           'session', ARGV[2])
redis.call('PEXPIRE', KEYS[6], tonumber(ARGV[4]))
redis.call('ZADD', KEYS[7], expires, ARGV[1])
redis.call('HSET', KEYS[5], 'used', '1')
redis.call('ZREM', KEYS[4], ARGV[1])
local version = redis.call('INCR', KEYS[8])
redis.call('XADD', KEYS[9], 'MAXLEN', '~', '10000', '*', 'v', version, 'op', 'hold', 'seats', seats, 'by', ARGV[5])
return {'OK', version, string.format('%d', expires)}
