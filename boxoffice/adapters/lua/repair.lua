-- repair.lua — reconciliation (DESIGN §6): set drifted seats to the database's truth, and/or recount the stock.
-- Each seat carries the state the reconciler saw and the state the database wants; a seat is written only if it is
-- still exactly as seen (taken bit, sold bit, owner), so a repair never undoes a change made since the check, and a
-- second run finds nothing to do. The stock follows the taken bits written; with ARGV[3] = 1 it is recounted from
-- the seats' bits (the first `capacity` bits: Redis 7.0's BITCOUNT … BIT), as the reconciler counts them.
--
-- KEYS[1] meta  KEYS[2] seats (bitmap taken)  KEYS[3] sold (bitmap)  KEYS[4] stock  KEYS[5] ver  KEYS[6] changes
-- KEYS[7] owners (hash seat index -> "order id:order line id")
-- ARGV[1] actor  ARGV[2] drift class  ARGV[3] recount stock (1 | 0)
-- ARGV[4..] groups of 7: seat index, seen taken (0|1), seen sold (0|1), seen owner ('' none),
--           new taken (0|1), new sold (0|1), new owner ('' none)
--
-- Returns {'OK', stock before, stock after, version, repaired seat indices...} | {'REDIS_EMPTY'}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'REDIS_EMPTY'} end
local stock_before = tonumber(redis.call('GET', KEYS[4]) or '0')
local fixed = {}
local delta = 0
for i = 4, #ARGV - 6, 7 do
  local idx = ARGV[i]
  local taken = redis.call('GETBIT', KEYS[2], idx)
  local sold = redis.call('GETBIT', KEYS[3], idx)
  local owner = redis.call('HGET', KEYS[7], idx) or ''
  if taken == tonumber(ARGV[i + 1]) and sold == tonumber(ARGV[i + 2]) and owner == ARGV[i + 3] then
    local new_taken = tonumber(ARGV[i + 4])
    redis.call('SETBIT', KEYS[2], idx, new_taken)
    redis.call('SETBIT', KEYS[3], idx, tonumber(ARGV[i + 5]))
    if ARGV[i + 6] == '' then redis.call('HDEL', KEYS[7], idx) else redis.call('HSET', KEYS[7], idx, ARGV[i + 6]) end
    delta = delta + taken - new_taken
    fixed[#fixed + 1] = idx
  end
end
local stock_after = stock_before + delta
if ARGV[3] == '1' then  -- only bits of seats count (a stray bit past the last seat is no seat taken)
  local capacity = tonumber(redis.call('HGET', KEYS[1], 'capacity') or '0')
  stock_after = capacity
  if capacity > 0 then stock_after = capacity - redis.call('BITCOUNT', KEYS[2], 0, capacity - 1, 'BIT') end
end
if stock_after ~= stock_before then redis.call('SET', KEYS[4], stock_after) end
local version = tonumber(redis.call('GET', KEYS[5]) or '0')
if #fixed > 0 or stock_after ~= stock_before then
  version = redis.call('INCR', KEYS[5])
  redis.call('XADD', KEYS[6], 'MAXLEN', '~', '10000', '*', 'v', version, 'op', 'repair', 'seats',
             table.concat(fixed, ','), 'by', ARGV[1], 'reason', ARGV[2])
end
local out = {'OK', stock_before, stock_after, version}
for _, idx in ipairs(fixed) do out[#out + 1] = idx end
return out
