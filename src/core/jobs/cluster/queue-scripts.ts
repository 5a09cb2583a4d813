import { ACTIVE_LIB } from '../../quota/redis-active-scripts.ts';

/*
 * Lua scripts of the shared job queue (`redis-shared-jobs.ts`). Layout under a prefix P:
 *   P:seq                 counter: the order jobs were queued in
 *   P:tiers               zset of priorities that have waiting jobs
 *   P:rot:<prio>          list: the owners of that tier in turn order (served ones go to the back)
 *   P:own:<prio>:<owner>  zset: the owner's waiting job ids, oldest first
 *   P:q:<id>              hash of a waiting job: o owner, p priority, pf platform, no backends that
 *                         cannot run it, av backends to avoid (comma lists), ts queued at
 *   P:taken, P:t:<id>     jobs out of the queue and not finished: i instance, pf platform, b backend
 *   P:lease:<id>          the instance handling a taken job, with a TTL renewed while it lives
 *   P:bk:<backend>        ids of jobs on that backend, from every process (its load)
 *   P:done:<id>           finished (1 day): never queued again
 *   P:cx:<id>, P:dp:<id>  a cancel asked from any process; delivery fields recorded from any process
 *   P:events              pub/sub: `e` queued, `r <id>` removed, `t <id> <by>` taken, `f` a slot freed,
 *                         `c <id>` cancel, `d <id>` delivery patched, `o <id>` let go of (claim it)
 * The fair order is the one of `FairQueue`: priorities high to low, owners in turn, each owner's jobs in
 * order; a job that cannot be taken keeps its owner's turn. ARGV[1] is always P.
 */
const LIB = `
local P = ARGV[1]
local function csv_has(list, name)
  if not list or list == '' then return false end
  return string.find(',' .. list .. ',', ',' .. name .. ',', 1, true) ~= nil
end
local function unqueue(id, prio, owner)
  local own = P .. ':own:' .. prio .. ':' .. owner
  redis.call('ZREM', own, id)
  redis.call('DEL', P .. ':q:' .. id)
  if redis.call('ZCARD', own) == 0 then
    redis.call('LREM', P .. ':rot:' .. prio, 0, owner)
    if redis.call('LLEN', P .. ':rot:' .. prio) == 0 then redis.call('ZREM', P .. ':tiers', prio) end
    return false
  end
  return true
end
local function untake(id)
  local b = redis.call('HGET', P .. ':t:' .. id, 'b')
  if b and b ~= '' then redis.call('SREM', P .. ':bk:' .. b, id) end
  redis.call('DEL', P .. ':t:' .. id, P .. ':lease:' .. id)
  redis.call('SREM', P .. ':taken', id)
end
local function queue(id, owner, prio, pf, no, av, ts)
  if redis.call('EXISTS', P .. ':q:' .. id, P .. ':done:' .. id) > 0 then return 0 end
  local seq = redis.call('INCR', P .. ':seq')
  redis.call('HSET', P .. ':q:' .. id, 'o', owner, 'p', prio, 'pf', pf, 'no', no, 'av', av, 'ts', ts)
  redis.call('ZADD', P .. ':tiers', prio, prio)
  local own = P .. ':own:' .. prio .. ':' .. owner
  if redis.call('ZCARD', own) == 0 then redis.call('RPUSH', P .. ':rot:' .. prio, owner) end
  redis.call('ZADD', own, seq, id)
  return 1
end
`;

/** ARGV: P, id, owner, priority, platform, incapable, avoid, now. 1 queued, 0 already queued, taken or done. */
export const ENQUEUE = `${LIB}
if redis.call('EXISTS', P .. ':t:' .. ARGV[2]) == 1 then return 0 end
local n = queue(ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8])
if n == 1 then redis.call('PUBLISH', P .. ':events', 'e') end
return n
`;

/**
 * ARGV: P, instance, id, owner, priority, platform, incapable, avoid, now. A job this instance holds goes
 * back in line (at the back, as a retry): off its backend, its lease dropped. 0 if it no longer holds it.
 */
export const REQUEUE = `${LIB}
local id = ARGV[3]
if redis.call('GET', P .. ':lease:' .. id) ~= ARGV[2] then return 0 end
untake(id)
queue(id, ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9])
redis.call('PUBLISH', P .. ':events', 'e')
return 1
`;

/** ARGV: P, id. 1 when the job was waiting and is out of the queue now (whoever asks first wins). */
export const REMOVE = `${LIB}
local id = ARGV[2]
local q = redis.call('HMGET', P .. ':q:' .. id, 'p', 'o')
if not q[1] then return 0 end
unqueue(id, q[1], q[2])
redis.call('SET', P .. ':done:' .. id, '1', 'PX', 86400000)
redis.call('PUBLISH', P .. ':events', 'r ' .. id)
return 1
`;

/**
 * ARGV: P, instance, lease ms, active prefix A, platforms (comma list), then per backend with room here:
 * name, capacity, weight. Takes the first job in fair order that this instance can present (its platform),
 * whose owner has a running slot (checked and taken in A), on the least loaded backend that can run it
 * (capacity counted over every process). Replies `{id, backend}`, or `{}`.
 */
export const TAKE_NEXT = `${ACTIVE_LIB}${LIB}
local me, leaseMs, A, platforms = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local room = {}
for i = 6, #ARGV, 3 do
  local load = redis.call('SCARD', P .. ':bk:' .. ARGV[i])
  if load < tonumber(ARGV[i + 1]) then
    room[#room + 1] = { name = ARGV[i], load = load / tonumber(ARGV[i + 2]) }
  end
end
if #room == 0 then return {} end
local function pick(no, av)
  local best
  for _, b in ipairs(room) do
    if not csv_has(no, b.name) and not csv_has(av, b.name) and (not best or b.load < best.load) then
      best = b
    end
  end
  return best
end
local scanned = 0
for _, prio in ipairs(redis.call('ZREVRANGE', P .. ':tiers', 0, -1)) do
  for _, owner in ipairs(redis.call('LRANGE', P .. ':rot:' .. prio, 0, -1)) do
    for _, id in ipairs(redis.call('ZRANGE', P .. ':own:' .. prio .. ':' .. owner, 0, -1)) do
      scanned = scanned + 1
      if scanned > 20000 then return {} end
      local q = redis.call('HMGET', P .. ':q:' .. id, 'pf', 'no', 'av')
      local b = (q[1] == '' or csv_has(platforms, q[1])) and pick(q[2] or '', q[3] or '')
      -- A job whose owner's running slots are full is skipped, not its owner: one of theirs that keeps
      -- its slot (queued again after its backend lost it) may come later in their list.
      if b and act_start(A, id, false) == 1 then
        if unqueue(id, prio, owner) then
          redis.call('LREM', P .. ':rot:' .. prio, 0, owner)
          redis.call('RPUSH', P .. ':rot:' .. prio, owner)
        end
        redis.call('HSET', P .. ':t:' .. id, 'i', me, 'pf', q[1], 'b', b.name)
        redis.call('SADD', P .. ':taken', id)
        redis.call('SADD', P .. ':bk:' .. b.name, id)
        redis.call('SET', P .. ':lease:' .. id, me, 'PX', leaseMs)
        redis.call('PUBLISH', P .. ':events', 't ' .. id .. ' ' .. me)
        return { id, b.name }
      end
    end
  end
end
return {}
`;

/** ARGV: P, id. Ended: out of every structure, never queued again; a slot freed. */
export const FINISH = `${LIB}
local id = ARGV[2]
local q = redis.call('HMGET', P .. ':q:' .. id, 'p', 'o')
if q[1] then unqueue(id, q[1], q[2]) end
untake(id)
redis.call('DEL', P .. ':cx:' .. id, P .. ':dp:' .. id)
redis.call('SET', P .. ':done:' .. id, '1', 'PX', 86400000)
redis.call('PUBLISH', P .. ':events', 'f')
return 1
`;

/** ARGV: P, id. The job's backend slot is free (its prompt ended); it stays taken. */
export const LEAVE_BACKEND = `${LIB}
local b = redis.call('HGET', P .. ':t:' .. ARGV[2], 'b')
if b and b ~= '' then redis.call('SREM', P .. ':bk:' .. b, ARGV[2]) end
redis.call('HSET', P .. ':t:' .. ARGV[2], 'b', '')
redis.call('PUBLISH', P .. ':events', 'f')
return 1
`;

/** ARGV: P, id, backend. The job (taken) is on this backend now. */
export const OCCUPY = `${LIB}
local old = redis.call('HGET', P .. ':t:' .. ARGV[2], 'b')
if old and old ~= '' then redis.call('SREM', P .. ':bk:' .. old, ARGV[2]) end
redis.call('HSET', P .. ':t:' .. ARGV[2], 'b', ARGV[3])
redis.call('SADD', P .. ':bk:' .. ARGV[3], ARGV[2])
return 1
`;

/**
 * ARGV: P, instance, lease ms, active prefix A, platforms, id, backend, its capacity. Takes that one
 * waiting job onto that backend (an overflow backend chosen for it by its wait), under the same checks
 * as `TAKE_NEXT`: presentable here, not known incapable, room over every process, its owner's slot.
 */
export const TAKE_JOB = `${ACTIVE_LIB}${LIB}
local me, leaseMs, A, platforms, id, b = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local q = redis.call('HMGET', P .. ':q:' .. id, 'pf', 'no', 'o', 'p')
if not q[3] then return {} end
if q[1] ~= '' and not csv_has(platforms, q[1]) then return {} end
if csv_has(q[2] or '', b) then return {} end
if redis.call('SCARD', P .. ':bk:' .. b) >= tonumber(ARGV[8]) then return {} end
if act_start(A, id, false) ~= 1 then return {} end
if unqueue(id, q[4], q[3]) then
  redis.call('LREM', P .. ':rot:' .. q[4], 0, q[3])
  redis.call('RPUSH', P .. ':rot:' .. q[4], q[3])
end
redis.call('HSET', P .. ':t:' .. id, 'i', me, 'pf', q[1], 'b', b)
redis.call('SADD', P .. ':taken', id)
redis.call('SADD', P .. ':bk:' .. b, id)
redis.call('SET', P .. ':lease:' .. id, me, 'PX', leaseMs)
redis.call('PUBLISH', P .. ':events', 't ' .. id .. ' ' .. me)
return { id, b }
`;
