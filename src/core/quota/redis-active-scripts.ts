/*
 * Lua scripts of `redisActive`. Layout: `<prefix>:procs` is the set of process names;
 * `<prefix>:proc:<name>` is one process's holdings, a hash with a TTL (the lease): `_lease`, and counts
 * `r:<person>` running, `s:<person>` slots reserved for a waiting job about to start, `w:<person>` waiting,
 * `c:<community>` community waiting, `g` all waiting. Every check sums a field over the hashes still
 * alive, so a crashed process stops counting when its lease expires. Only the owning process writes its
 * hash. The scripts touch keys they do not declare: fine on a single Redis (as Bottleneck's are), not on
 * a Redis Cluster.
 *
 * Every script takes KEYS = [procs set, this process's hash] and ARGV[1] = the prefix; the ARGV listed
 * with each script follow it.
 */
const LIB = `
local procs, self, prefix = KEYS[1], KEYS[2], ARGV[1]
local function live()
  local out = {}
  for _, id in ipairs(redis.call('SMEMBERS', procs)) do
    local k = prefix .. ':proc:' .. id
    if redis.call('EXISTS', k) == 1 then out[#out + 1] = k else redis.call('SREM', procs, id) end
  end
  return out
end
local function sum(keys, field)
  local n = 0
  for _, k in ipairs(keys) do n = n + tonumber(redis.call('HGET', k, field) or '0') end
  return n
end
local function add(field, by)
  if redis.call('HINCRBY', self, field, by) <= 0 then redis.call('HDEL', self, field) end
end
`;
/** Writes only while this process's lease is alive; otherwise `{-1}` and the caller re-registers. */
const LEASED = `${LIB}
if redis.call('HEXISTS', self, '_lease') == 0 then return {-1} end
`;

/**
 * ARGV: person, community ('' none), waiting limit, community cap, global cap (-1 none), running limit.
 * Replies `{1}`, `{2}`, `{3}` when the person's, community's or global waiting cap is reached; else holds
 * a waiting slot and replies `{0, 1}` when it also reserved a running slot, `{0, 0}` when not.
 */
export const ADMIT = `${LEASED}
local key, community = ARGV[2], ARGV[3]
local keys = live()
if sum(keys, 'w:' .. key) >= tonumber(ARGV[4]) then return {1} end
local cap = tonumber(ARGV[5])
if community ~= '' and cap >= 0 and sum(keys, 'c:' .. community) >= cap then return {2} end
cap = tonumber(ARGV[6])
if cap >= 0 and sum(keys, 'g') >= cap then return {3} end
add('w:' .. key, 1)
if community ~= '' then add('c:' .. community, 1) end
add('g', 1)
if sum(keys, 'r:' .. key) + sum(keys, 's:' .. key) < tonumber(ARGV[7]) then
  add('s:' .. key, 1)
  return {0, 1}
end
return {0, 0}
`;

/** ARGV: pairs of person, running limit; one reserved slot each where running + reserved is below it. */
export const RESERVE = `${LEASED}
local keys = live()
local out = {}
for i = 2, #ARGV, 2 do
  local key = ARGV[i]
  if sum(keys, 'r:' .. key) + sum(keys, 's:' .. key) < tonumber(ARGV[i + 1]) then
    add('s:' .. key, 1)
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
return out
`;

/** ARGV: pairs of field, amount; applied together. */
export const DELTA = `${LEASED}
for i = 2, #ARGV, 2 do add(ARGV[i], tonumber(ARGV[i + 1])) end
return {0}
`;

/** ARGV: person → {running, waiting} over live processes. */
export const COUNTS = `${LIB}
local keys = live()
return {sum(keys, 'r:' .. ARGV[2]), sum(keys, 'w:' .. ARGV[2])}
`;
