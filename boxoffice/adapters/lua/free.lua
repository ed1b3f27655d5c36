-- free.lua — seats of a cancelled order, or given up in an exchange, become free again. Idempotent.
-- Only seats still held by the very order lines being ended are freed: a seat already freed, sold again to another
-- order since, or given back to this same order by a later exchange (a new line) is left alone, so a late or
-- repeated message can never free a seat that is sold in the database. Each ended line is remembered ("x:line"),
-- unless the seat already has a newer line, so that a confirmation of the ended line arriving later writes nothing.
--
-- KEYS[1] meta  KEYS[2] seats (bitmap taken)  KEYS[3] sold (bitmap)  KEYS[4] stock  KEYS[5] ver  KEYS[6] changes
-- KEYS[7] owners (hash seat index -> "order id:order line id" | "x:order line id")
-- ARGV[1] order id  ARGV[2] reason (cancel | exchange | outbox)  ARGV[3..] pairs: seat index, order line id
--
-- Returns {'OK', freed_count, version} | {'REDIS_EMPTY'} when the session has no keys (a rebuild covers it)
if redis.call('EXISTS', KEYS[1]) == 0 then return {'REDIS_EMPTY'} end
local freed = {}
for i = 3, #ARGV - 1, 2 do
  local seat, line = ARGV[i], tonumber(ARGV[i + 1])
  local owner = redis.call('HGET', KEYS[7], seat)
  local latest = tonumber(string.match(owner or '', ':(%d+)$'))
  if owner == ARGV[1] .. ':' .. ARGV[i + 1] then
    redis.call('HSET', KEYS[7], seat, 'x:' .. ARGV[i + 1])
    redis.call('SETBIT', KEYS[3], seat, 0)
    redis.call('SETBIT', KEYS[2], seat, 0)
    freed[#freed + 1] = seat
  elseif not latest or latest < line then
    redis.call('HSET', KEYS[7], seat, 'x:' .. ARGV[i + 1])
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
