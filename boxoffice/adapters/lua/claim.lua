-- claim.lua — steps 1 and 2 of a sale for seats already chosen (DESIGN §2), in one call and one atomic run.
-- The store registers this file after issue_token.lua and deduct.lua, each wrapped unchanged as a local function
-- `issue_token(KEYS, ARGV)` / `deduct(KEYS, ARGV)`: the two steps keep one definition each.
-- Named seats that are already taken, and malformed seat lists, are refused before a token is made, so a lost race
-- writes nothing at all (no token record, no place in the gate) and costs a few GETBITs — the common answer in a rush.
--
-- KEYS[1] meta  KEYS[2] seats (bitmap taken)  KEYS[3] stock  KEYS[4] tokens (zset)  KEYS[5] tok:<token> (hash)
-- KEYS[6] hold:<token> (hash)  KEYS[7] holds (zset)  KEYS[8] ver  KEYS[9] changes (stream)
-- ARGV[1] token (random, made by the caller)  ARGV[2] session id  ARGV[3] clerk  ARGV[4] token ttl (ms)
-- ARGV[5] token record kept for (ms)  ARGV[6] gate per free seat  ARGV[7] gate floor  ARGV[8] hold ttl (ms)
-- ARGV[9] hold record kept for (ms)  ARGV[10..] seat indices
--
-- Returns {'OK', version, hold_expires_ms, token_expires_ms}, or
--   {'SEATS_TAKEN', idx...}   these named seats are taken  } checked first, when the session is on sale
--   {'BAD_SEATS', arg}        a repeated or out-of-range index } and its free stock suffices
--   any refusal of issue_token.lua (REDIS_EMPTY, NOT_ON_SALE, SALES_CLOSED, NOT_OPEN, SOLD_OUT, GATE_FULL,
--   BAD_REQUEST)
--   any refusal of deduct.lua (BAD_SEATS, SOLD_OUT, ...)
local first = 10
local meta = redis.call('HMGET', KEYS[1], 'onsale', 'capacity', 'closes_ms', 'opens_ms')
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = (not meta[3] or now < tonumber(meta[3])) and (not meta[4] or now >= tonumber(meta[4]))
-- a closed (flag or sales window) or sold-out session keeps issue_token's answer
if meta[1] == '1' and window and tonumber(redis.call('GET', KEYS[3]) or '0') >= #ARGV - first + 1 then
  local capacity = tonumber(meta[2] or '0')
  local taken, seen = {'SEATS_TAKEN'}, {}
  for i = first, #ARGV do
    local idx = tonumber(ARGV[i])
    if not idx or idx < 0 or idx >= capacity or idx % 1 ~= 0 or seen[idx] then return {'BAD_SEATS', ARGV[i]} end
    seen[idx] = true
    if redis.call('GETBIT', KEYS[2], idx) == 1 then taken[#taken + 1] = ARGV[i] end
  end
  if #taken > 1 then return taken end
end

local issued = issue_token({KEYS[1], KEYS[3], KEYS[4], KEYS[5]},
                           {ARGV[1], ARGV[2], ARGV[3], #ARGV - first + 1, ARGV[4], ARGV[5], ARGV[6], ARGV[7]})
if issued[1] ~= 'OK' then return issued end

local deducted = deduct(KEYS, {ARGV[1], ARGV[2], ARGV[8], ARGV[9], ARGV[3], unpack(ARGV, first)})
if deducted[1] ~= 'OK' then return deducted end
return {'OK', deducted[2], deducted[3], issued[2]}
