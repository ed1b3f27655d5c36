-- confirm.lua — after the database committed the order: the hold becomes sold. Idempotent.
-- The seats come from the database order, so a hold that had already expired and been released is restored —
-- unless the seat has moved on: every seat remembers its latest order line in `owners` ("order:line" while sold,
-- "x:line" once that line ended), and order line ids only grow for a seat, so a late or replayed confirm of an older
-- or already ended line never writes a sale over a newer one. Such a seat is given back if this very hold still had
-- it (the line ended before its confirmation arrived).
--
-- KEYS[1] meta  KEYS[2] seats (bitmap taken)  KEYS[3] sold (bitmap)  KEYS[4] stock  KEYS[5] hold:<token>
-- KEYS[6] holds (zset)  KEYS[7] ver  KEYS[8] changes (stream)
-- KEYS[9] owners (hash seat index -> "order id:order line id" | "x:order line id")
-- ARGV[1] token  ARGV[2] record kept for (ms)  ARGV[3] order id  ARGV[4..] pairs: seat index, order line id
--
-- Returns {'OK', version, restored} | {'NOOP'} already confirmed | {'REDIS_EMPTY'} no keys (a rebuild will cover it)
if redis.call('EXISTS', KEYS[1]) == 0 then return {'REDIS_EMPTY'} end
local hold = redis.call('HMGET', KEYS[5], 'state', 'epoch')
if hold[1] == 'confirmed' then return {'NOOP'} end
local mine = hold[1] == 'held' and hold[2] == (redis.call('HGET', KEYS[1], 'epoch') or '0')

local restored, version = 0, tonumber(redis.call('GET', KEYS[7]) or '0')
local sold, gone = {}, {}
for i = 4, #ARGV - 1, 2 do
  local seat, line = ARGV[i], tonumber(ARGV[i + 1])
  local who, latest = string.match(redis.call('HGET', KEYS[9], seat) or '', '^(%w+):(%d+)$')
  latest = tonumber(latest)
  if latest and (latest > line or (latest == line and who == 'x')) then
    if mine and redis.call('GETBIT', KEYS[3], seat) == 0 and redis.call('SETBIT', KEYS[2], seat, 0) == 1 then
      gone[#gone + 1] = seat
    end
  else
    if redis.call('SETBIT', KEYS[2], seat, 1) == 0 then restored = restored + 1 end
    redis.call('SETBIT', KEYS[3], seat, 1)
    redis.call('HSET', KEYS[9], seat, ARGV[3] .. ':' .. ARGV[i + 1])
    sold[#sold + 1] = seat
  end
end
if restored > 0 then redis.call('DECRBY', KEYS[4], restored) end
if #gone > 0 then redis.call('INCRBY', KEYS[4], #gone) end
local seats = table.concat(sold, ',')
redis.call('HSET', KEYS[5], 'state', 'confirmed', 'seats', seats)
redis.call('PEXPIRE', KEYS[5], tonumber(ARGV[2]))
redis.call('ZREM', KEYS[6], ARGV[1])
if #sold > 0 then
  version = redis.call('INCR', KEYS[7])
  redis.call('XADD', KEYS[8], 'MAXLEN', '~', '10000', '*', 'v', version, 'op', 'sold', 'seats', seats)
end
if #gone > 0 then
  version = redis.call('INCR', KEYS[7])
  redis.call('XADD', KEYS[8], 'MAXLEN', '~', '10000', '*', 'v', version, 'op', 'release', 'seats',
             table.concat(gone, ','), 'reason', 'ended')
end
return {'OK', version, restored}
