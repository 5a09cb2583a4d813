/*
 * Lua scripts for the leases of taken jobs (layout in `queue-scripts.ts`). A lease is `P:lease:<id>`,
 * holding the instance that handles the job, with a TTL its process renews; a taken job (`P:t:<id>`)
 * without one is an orphan that any process able to present it may claim. ARGV[1] is always P.
 */

/**
 * ARGV: P, instance, lease ms, ids… Renews this instance's leases. A lease that ran out while nobody
 * claimed the job is taken back. Replies the ids this instance no longer holds (another took them over).
 */
export const RENEW = `
local P, me, ms = ARGV[1], ARGV[2], ARGV[3]
local lost = {}
for i = 4, #ARGV do
  local id = ARGV[i]
  local lease = P .. ':lease:' .. id
  local holder = redis.call('GET', lease)
  if holder == me then
    redis.call('PEXPIRE', lease, ms)
  elseif not holder and redis.call('HGET', P .. ':t:' .. id, 'i') == me then
    redis.call('SET', lease, me, 'PX', ms)
  else
    lost[#lost + 1] = id
  end
end
return lost
`;

/**
 * ARGV: P, instance, lease ms, id. Claims a taken job whose lease ran out (or is this instance's own,
 * from before a restart under the same name). 1 when claimed.
 */
export const CLAIM = `
local P, me, ms, id = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if redis.call('EXISTS', P .. ':t:' .. id) == 0 then return 0 end
local holder = redis.call('GET', P .. ':lease:' .. id)
if holder and holder ~= me then return 0 end
redis.call('SET', P .. ':lease:' .. id, me, 'PX', ms)
redis.call('HSET', P .. ':t:' .. id, 'i', me)
redis.call('PUBLISH', P .. ':events', 't ' .. id .. ' ' .. me)
return 1
`;

/**
 * ARGV: P, instance, id. Lets go of a job this instance holds: it stays taken, and the others are told
 * (`o <id>`) to claim it now rather than at their next scan.
 */
export const HAND_OFF = `
local P, me, id = ARGV[1], ARGV[2], ARGV[3]
if redis.call('GET', P .. ':lease:' .. id) == me then redis.call('DEL', P .. ':lease:' .. id) end
if redis.call('HGET', P .. ':t:' .. id, 'i') == me then redis.call('HSET', P .. ':t:' .. id, 'i', '') end
redis.call('PUBLISH', P .. ':events', 'o ' .. id)
return 1
`;

/** ARGV: P. Taken jobs with no lease: id, the instance that had it, its platform; flattened. */
export const ORPHANS = `
local P = ARGV[1]
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', P .. ':taken')) do
  if redis.call('EXISTS', P .. ':lease:' .. id) == 0 then
    local t = redis.call('HMGET', P .. ':t:' .. id, 'i', 'pf')
    if t[1] then
      out[#out + 1] = id
      out[#out + 1] = t[1]
      out[#out + 1] = t[2] or ''
    else
      redis.call('SREM', P .. ':taken', id)
    end
  end
end
return out
`;

/**
 * ARGV: P, then per job: id, platform. Jobs the store says are under way but the queue does not know
 * (their process died between two writes): recorded as taken with no lease, so one is claimed.
 */
export const ADOPT_UNKNOWN = `
local P = ARGV[1]
local n = 0
for i = 2, #ARGV, 2 do
  local id = ARGV[i]
  if redis.call('EXISTS', P .. ':q:' .. id, P .. ':t:' .. id, P .. ':done:' .. id) == 0 then
    redis.call('HSET', P .. ':t:' .. id, 'i', '', 'pf', ARGV[i + 1], 'b', '')
    redis.call('SADD', P .. ':taken', id)
    n = n + 1
  end
end
return n
`;

/** ARGV: P, ids… For each: 'q' waiting, 't' taken, 'd' done, '' unknown. */
export const STATUS = `
local P = ARGV[1]
local out = {}
for i = 2, #ARGV do
  local id = ARGV[i]
  if redis.call('EXISTS', P .. ':q:' .. id) == 1 then out[#out + 1] = 'q'
  elseif redis.call('EXISTS', P .. ':t:' .. id) == 1 then out[#out + 1] = 't'
  elseif redis.call('EXISTS', P .. ':done:' .. id) == 1 then out[#out + 1] = 'd'
  else out[#out + 1] = '' end
end
return out
`;

/**
 * ARGV: P. Every waiting job in the order it will be served if all can be taken (as `FairQueue.snapshot`),
 * flattened as id, owner, platform, incapable backends, queued-at.
 */
export const SNAPSHOT = `
local P = ARGV[1]
local out = {}
for _, prio in ipairs(redis.call('ZREVRANGE', P .. ':tiers', 0, -1)) do
  local lists = {}
  local rounds = 0
  for _, owner in ipairs(redis.call('LRANGE', P .. ':rot:' .. prio, 0, -1)) do
    local ids = redis.call('ZRANGE', P .. ':own:' .. prio .. ':' .. owner, 0, -1)
    lists[#lists + 1] = ids
    if #ids > rounds then rounds = #ids end
  end
  for r = 1, rounds do
    for _, ids in ipairs(lists) do
      local id = ids[r]
      if id then
        local q = redis.call('HMGET', P .. ':q:' .. id, 'o', 'pf', 'no', 'ts')
        out[#out + 1] = id
        out[#out + 1] = q[1] or ''
        out[#out + 1] = q[2] or ''
        out[#out + 1] = q[3] or ''
        out[#out + 1] = q[4] or '0'
      end
    end
  end
end
return out
`;
