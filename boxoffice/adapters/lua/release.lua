-- release.lua — compensation (the database step failed) and hold expiry: give back exactly the bits a hold set.
-- Idempotent: only a hold in state 'held' is released, once. A hold from before a rebuild (other epoch) frees no
-- bits (the rebuilt bitmap never contained them); a seat whose sold bit is set is never freed.
--
-- KEYS[1] meta  KEYS[2] seats (bitmap taken)  KEYS[3] sold (bitmap)  KEYS[4] stock  KEYS[5] hold:<token>
-- KEYS[6] holds (zset)  KEYS[7] ver  KEYS[8] changes (stream)
-- ARGV[1] token  ARGV[2] reason (compensate | expired | force | stale | unresolved)
-- The change-stream entry (only when bits were freed) is {v, op = 'release', seats, by = the hold's clerk,
-- reason = ARGV[2]}.
--
-- Returns {'OK', freed_count, version} | {'NOOP', state} when there is no held hold for the token
local hold = redis.call('HMGET', KEYS[5], 'state', 'seats', 'epoch', 'clerk')
if not hold[1] then return {'NOOP', 'none'} end
if hold[1] ~= 'held' then return {'NOOP', hold[1]} end

local freed = {}
if hold[3] == (redis.call('HGET', KEYS[1], 'epoch') or '0') then
  for idx in string.gmatch(hold[2], '%d+') do
    if redis.call('GETBIT', KEYS[3], idx) == 0 and redis.call('SETBIT', KEYS[2], idx, 0) == 1 then
      freed[#freed + 1] = idx
    end
  end
end
if #freed > 0 then redis.call('INCRBY', KEYS[4], #freed) end
redis.call('HSET', KEYS[5], 'state', 'released', 'reason', ARGV[2])
redis.call('ZREM', KEYS[6], ARGV[1])
local version = tonumber(redis.call('GET', KEYS[7]) or '0')
if #freed > 0 then
  version = redis.call('INCR', KEYS[7])
  redis.call('XADD', KEYS[8], 'MAXLEN', '~', '10000', '*', 'v', version, 'op', 'release',
             'seats', table.concat(freed, ','), 'by', hold[4] or '', 'reason', ARGV[2])
end
return {'OK', #freed, version}
