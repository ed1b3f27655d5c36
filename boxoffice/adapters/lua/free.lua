-- free.lua — seats of a cancelled order, or given up in an exchange, become free again. Idempotent.
-- Only seats this order still owns are freed: a seat already freed, or sold again to another order since, is left
-- alone, so a late or repeated message can never free somebody else's seat.
--
-- KEYS[1] meta  KEYS[2] seats (bitmap taken)  KEYS[3] sold (bitmap)  KEYS[4] stock  KEYS[5] ver  KEYS[6] changes
-- KEYS[7] owners (hash seat index -> order id)
-- ARGV[1] order id  ARGV[2] reason (cancel | exchange | outbox)  ARGV[3..] seat indices
--
-- Returns {'OK', freed_count, version} | {'REDIS_EMPTY'} when the session has no keys (a rebuild covers it)
if redis.call('EXISTS', KEYS[1]) == 0 then return {'REDIS_EMPTY'} end
local freed = {}
for i = 3, #ARGV do
  if redis.call('HGET', KEYS[7], ARGV[i]) == ARGV[1] then
    redis.call('HDEL', KEYS[7], ARGV[i])
    redis.call('SETBIT', KEYS[3], ARGV[i], 0)
    redis.call('SETBIT', KEYS[2], ARGV[i], 0)
    freed[#freed + 1] = ARGV[i]
  end
end
local version = tonumber(redis.call('GET', KEYS[5]) or '0')
if #freed > 0 then
  redis.call('INCRBY', KEYS[4], #freed)
  version = redis.call('INCR', KEYS[5])
  redis.call('XADD', KEYS[6], 'MAXLEN', '~', '10000', '*', 'v', version, 'op', 'free', 'seats',
             table.concat(freed, ','))
end
return {'OK', #freed, version}
