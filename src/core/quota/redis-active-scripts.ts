/*
 * Lua scripts of `redisActive`: running and waiting jobs counted per job, so a count belongs to its job
 * whichever process handles it, and never to a process that may die. Layout under a prefix A:
 *   A:job:<jobId>  hash  s = 'w' waiting | 'r' running, k = person, c = community ('' none),
 *                        l = the person's running limit, t = when admitted (ms)
 *   A:jobs         set   every counted job id (for sweeping jobs that no longer exist)
 *   A:n:r:<person> A:n:w:<person> A:n:c:<community> A:n:g   counters kept by the scripts
 * A limit or cap of -1 is none. Every script takes ARGV[1] = A and touches keys it does not declare: fine on a single Redis (as
 * Bottleneck's scripts are), not on a Redis Cluster. `ACTIVE_LIB` is also used by the shared job queue,
 * whose take starts a job in the same script that checks its owner's running slots.
 */
export const ACTIVE_LIB = `
local function act_add(A, name, by)
  local key = A .. ':n:' .. name
  if redis.call('INCRBY', key, by) <= 0 then redis.call('DEL', key) end
end
local function act_num(A, name)
  return tonumber(redis.call('GET', A .. ':n:' .. name) or '0')
end
local function act_waiting(A, k, c, by)
  act_add(A, 'w:' .. k, by)
  act_add(A, 'g', by)
  if c ~= '' then act_add(A, 'c:' .. c, by) end
end
local function act_create(A, id, k, c, state, limit, now)
  redis.call('HSET', A .. ':job:' .. id, 's', state, 'k', k, 'c', c, 'l', limit, 't', now)
  redis.call('SADD', A .. ':jobs', id)
  if state == 'r' then act_add(A, 'r:' .. k, 1) else act_waiting(A, k, c, 1) end
end
-- Waiting -> running when the person has a free slot (or force): 1 running (or not counted), 0 full.
local function act_start(A, id, force)
  local jk = A .. ':job:' .. id
  local st = redis.call('HMGET', jk, 's', 'k', 'c', 'l')
  if not st[1] or st[1] == 'r' then return 1 end
  local limit = tonumber(st[4]) or -1
  if not force and limit >= 0 and act_num(A, 'r:' .. st[2]) >= limit then return 0 end
  redis.call('HSET', jk, 's', 'r')
  act_waiting(A, st[2], st[3], -1)
  act_add(A, 'r:' .. st[2], 1)
  return 1
end
local function act_end(A, id)
  local jk = A .. ':job:' .. id
  local st = redis.call('HMGET', jk, 's', 'k', 'c')
  if not st[1] then return 0 end
  if st[1] == 'r' then act_add(A, 'r:' .. st[2], -1) else act_waiting(A, st[2], st[3], -1) end
  redis.call('DEL', jk)
  redis.call('SREM', A .. ':jobs', id)
  return 1
end
`;

/**
 * ARGV: A, job, person, community, waiting limit, community cap, global cap (-1 none), running limit, now.
 * `{1}`, `{2}`, `{3}` when the person's, community's or global waiting cap is reached; otherwise the job
 * is counted waiting (once: admitting it again changes nothing) and the reply is `{0, running}`.
 */
export const ADMIT = `${ACTIVE_LIB}
local A, id, k, c = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if redis.call('EXISTS', A .. ':job:' .. id) == 0 then
  local limit = tonumber(ARGV[5])
  if limit >= 0 and act_num(A, 'w:' .. k) >= limit then return {1} end
  local cap = tonumber(ARGV[6])
  if c ~= '' and cap >= 0 and act_num(A, 'c:' .. c) >= cap then return {2} end
  cap = tonumber(ARGV[7])
  if cap >= 0 and act_num(A, 'g') >= cap then return {3} end
  act_create(A, id, k, c, 'w', ARGV[8], ARGV[9])
end
return {0, act_num(A, 'r:' .. k)}
`;

/** ARGV: A, then per job: id, person, community, state ('w'|'r'), running limit, now. Counts what is missing. */
export const ENSURE = `${ACTIVE_LIB}
local A = ARGV[1]
for i = 2, #ARGV, 6 do
  local id = ARGV[i]
  if redis.call('EXISTS', A .. ':job:' .. id) == 0 then
    act_create(A, id, ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5])
  elseif ARGV[i + 3] == 'r' then
    act_start(A, id, true)
  end
end
return {0}
`;

/** ARGV: A, job, force (1|0). `{1, running}` when the job runs now, `{0, running}` when its owner is full. */
export const START = `${ACTIVE_LIB}
local A, id = ARGV[1], ARGV[2]
local started = act_start(A, id, ARGV[3] == '1')
local k = redis.call('HGET', A .. ':job:' .. id, 'k')
return {started, k and act_num(A, 'r:' .. k) or 0}
`;

/** ARGV: A, job ids… Stops counting them, whatever their state. */
export const END = `${ACTIVE_LIB}
local n = 0
for i = 2, #ARGV do n = n + act_end(ARGV[1], ARGV[i]) end
return {n}
`;

/** ARGV: A, persons… → each one's running count, then each one's waiting count. */
export const COUNTS = `${ACTIVE_LIB}
local out = {}
for i = 2, #ARGV do out[#out + 1] = act_num(ARGV[1], 'r:' .. ARGV[i]) end
for i = 2, #ARGV do out[#out + 1] = act_num(ARGV[1], 'w:' .. ARGV[i]) end
return out
`;
