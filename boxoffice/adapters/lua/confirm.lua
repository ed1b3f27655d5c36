-- confirm.lua — after the database committed the order: the hold becomes sold. Idempotent.
-- The seats come from the database order, so a hold that had already expired and been released is restored.
--
-- KEYS[1] meta  KEYS[2] seats (bitmap taken)  KEYS[3] sold (bitmap)  KEYS[4] stock  KEYS[5] hold:<token>
-- KEYS[6] holds (zset)  KEYS[7] ver  KEYS[8] changes (stream)
-- KEYS[9] owners (hash seat index -> "order id:order line id", the line that holds the seat in the database)
-- ARGV[1] token  ARGV[2] record kept for (ms)  ARGV[3] order id  ARGV[4..] pairs: seat index, order line id
--
-- Returns {'OK', version, restored} | {'NOOP'} already confirmed | {'REDIS_EMPTY'} no keys (a rebuild will cover it)
if redis.call('EXISTS', KEYS[1]) == 0 then return {'REDIS_EMPTY'} end
if redis.call('HGET', KEYS[5], 'state') == 'confirmed' then return {'NOOP'} end

local restored = 0
local idx = {}
for i = 4, #ARGV - 1, 2 do
  if redis.call('SETBIT', KEYS[2], ARGV[i], 1) == 0 then restored = restored + 1 end
  redis.call('SETBIT', KEYS[3], ARGV[i], 1)
  redis.call('HSET', KEYS[9], ARGV[i], ARGV[3] .. ':' .. ARGV[i + 1])
  idx[#idx + 1] = ARGV[i]
end
if restored > 0 then redis.call('DECRBY', KEYS[4], restored) end
local seats = table.concat(idx, ',')
redis.call('HSET', KEYS[5], 'state', 'confirmed', 'seats', seats)
redis.call('PEXPIRE', KEYS[5], tonumber(ARGV[2]))
redis.call('ZREM', KEYS[6], ARGV[1])
local version = redis.call('INCR', KEYS[7])
redis.call('XADD', KEYS[8], 'MAXLEN', '~', '10000', '*', 'v', version, 'op', 'sold', 'seats', seats)
return {'OK', version, restored}
