import { Redis } from 'ioredis';
import type { ActiveHolder, ActiveStore, WaitingCap } from './active-store.ts';

export interface RedisActiveOptions {
  url: string;
  /**
   * This process's name (the engine's `instanceId`). A restart under the same name replaces what the
   * previous run held instead of adding to it; two live processes must not share one.
   */
  instanceId?: string;
  prefix?: string;
  /** How long a process's holdings outlive its last refresh (default 15 s); refreshed every third of it. */
  leaseMs?: number;
  /** How often people waiting here without a running slot try for one freed elsewhere (default 1 s). */
  pollMs?: number;
  /** Failed background writes (they heal at the next lease refresh, which rewrites the whole hash). */
  onError?: (error: unknown) => void;
}

/*
 * Layout: `<prefix>:procs` is the set of process names; `<prefix>:proc:<name>` is one process's holdings,
 * a hash with a TTL (the lease): `_lease`, and counts `r:<person>` running, `s:<person>` slots reserved for
 * a waiting job about to start, `w:<person>` waiting, `c:<community>` community waiting, `g` all waiting.
 * Every check sums a field over the hashes still alive, so a crashed process stops counting when its
 * lease expires. Only the owning process writes its hash. The scripts touch keys they do not declare:
 * fine on a single Redis (as Bottleneck's are), not on a Redis Cluster.
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

/** ARGV: person, community ('' none), waiting limit, community cap, global cap (-1 none), running limit. */
const ADMIT = `${LEASED}
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
const RESERVE = `${LEASED}
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
const DELTA = `${LEASED}
for i = 2, #ARGV, 2 do add(ARGV[i], tonumber(ARGV[i + 1])) end
return {0}
`;

/** ARGV: person → {running, waiting} over live processes. */
const COUNTS = `${LIB}
local keys = live()
return {sum(keys, 'r:' .. ARGV[2]), sum(keys, 'w:' .. ARGV[2])}
`;

interface Holding {
  running: number;
  /** Running slots claimed in Redis for this person's waiting jobs here; what `canStart` reads. */
  reserved: number;
  waiting: number;
  /** The running limit last seen for this person, for the background retry. */
  limit: number;
}

/**
 * Running and waiting counts shared by every process on one Redis (see `ActiveStore`).
 *
 * Waiting caps are checked and held in one Lua script at admission, so two processes admitting at the
 * same instant cannot overshoot. Running slots cannot be checked that way at start, because
 * `canStart()`/`started()` are synchronous (called inside the fair queue's `next(canTake)`). Instead a
 * process reserves a person's running slot in Redis ahead of time, atomically, while that person has a
 * job waiting here — at admission, when a job of theirs ends here (the slot passes straight to their next
 * job), or by retrying every `pollMs` after another process freed one. `canStart()` is true only while
 * this process holds such a reservation, and `started()` turns it into a running job without a round
 * trip. So the limit holds across processes exactly, and the price is latency, not correctness: a slot
 * freed in another process reaches a job waiting here within `pollMs` (then `onCanStart` fires so the
 * engine pumps), and a reserved slot stays with the process that reserved it until that job starts or
 * leaves, even if its backends are busy while another process's are idle.
 *
 * Writes that need no check (a job started, ended, left) update the local mirror at once and are sent
 * without waiting; checked ones (admit, reserve, the lease refresh) are sent one at a time, so the
 * refresh, which rewrites the whole hash from the mirror, never races one whose answer is still out.
 */
export function redisActive(options: RedisActiveOptions): ActiveStore {
  return new RedisActive(options);
}

class RedisActive implements ActiveStore {
  readonly #client: Redis;
  readonly #prefix: string;
  readonly #id: string;
  readonly #self: string;
  readonly #procs: string;
  readonly #leaseMs: number;
  readonly #onError: (error: unknown) => void;
  readonly #users = new Map<string, Holding>();
  readonly #community = new Map<string, number>();
  #global = 0;
  readonly #listeners: (() => void)[] = [];
  #chain: Promise<unknown> = Promise.resolve();
  #lastRefresh = 0;
  #pollQueued = false;
  #closed = false;
  readonly #timer: NodeJS.Timeout;

  constructor(options: RedisActiveOptions) {
    this.#client = new Redis(options.url);
    this.#prefix = options.prefix ?? 'comfyrelay:active';
    this.#id = options.instanceId ?? 'main';
    this.#self = `${this.#prefix}:proc:${this.#id}`;
    this.#procs = `${this.#prefix}:procs`;
    this.#leaseMs = options.leaseMs ?? 15_000;
    this.#onError = options.onError ?? (() => {});
    // Replaces whatever a previous run under this name left, before anything else is sent.
    this.#serial(() => this.#refresh()).catch(this.#onError);
    this.#timer = setInterval(() => this.#tick(), Math.min(options.pollMs ?? 1000, this.#leaseMs / 3));
    this.#timer.unref();
  }

  holdWaiting(
    h: ActiveHolder,
    caps: { community?: number; global?: number },
  ): Promise<WaitingCap | undefined> {
    return this.#serial(async () => {
      const args = [
        h.key,
        h.communityKey ?? '',
        h.limits.waiting,
        caps.community ?? -1,
        caps.global ?? -1,
        h.limits.running,
      ];
      let reply = await this.#eval(ADMIT, args);
      if (reply[0] === -1) {
        await this.#refresh();
        reply = await this.#eval(ADMIT, args);
      }
      if (reply[0] === -1) throw new Error(`quota lease of ${this.#id} lost in Redis`);
      if (reply[0] === 1) return 'waiting';
      if (reply[0] === 2) return 'community';
      if (reply[0] === 3) return 'global';
      const user = this.#user(h.key, h.limits.running);
      user.waiting += 1;
      user.reserved += reply[1] ?? 0;
      this.#addCommunity(h.communityKey, 1);
      this.#global += 1;
      return undefined;
    });
  }

  dropWaiting(h: ActiveHolder): void {
    const user = this.#user(h.key, h.limits.running);
    user.waiting -= 1;
    this.#addCommunity(h.communityKey, -1);
    this.#global -= 1;
    const fields: [string, number][] = [
      [`w:${h.key}`, -1],
      ['g', -1],
    ];
    if (h.communityKey) fields.push([`c:${h.communityKey}`, -1]);
    if (user.reserved > user.waiting) {
      user.reserved -= 1;
      fields.push([`s:${h.key}`, -1]);
    }
    this.#forget(h.key);
    this.#delta(fields);
  }

  canStart(h: ActiveHolder): boolean {
    return (this.#users.get(h.key)?.reserved ?? 0) > 0;
  }

  start(h: ActiveHolder): boolean {
    const user = this.#users.get(h.key);
    if (!user || user.reserved <= 0) return false;
    user.reserved -= 1;
    user.waiting -= 1;
    user.running += 1;
    user.limit = h.limits.running;
    this.#addCommunity(h.communityKey, -1);
    this.#global -= 1;
    const fields: [string, number][] = [
      [`s:${h.key}`, -1],
      [`r:${h.key}`, 1],
      [`w:${h.key}`, -1],
      ['g', -1],
    ];
    if (h.communityKey) fields.push([`c:${h.communityKey}`, -1]);
    this.#delta(fields);
    if (user.waiting > user.reserved) this.#pollSoon();
    return true;
  }

  stopRunning(h: ActiveHolder): void {
    const user = this.#user(h.key, h.limits.running);
    user.running -= 1;
    if (user.waiting > user.reserved && user.running + user.reserved < h.limits.running) {
      // Their next job here takes the slot over; the sum in Redis does not change, so no one can slip in.
      user.reserved += 1;
      this.#delta([
        [`r:${h.key}`, -1],
        [`s:${h.key}`, 1],
      ]);
    } else {
      this.#delta([[`r:${h.key}`, -1]]);
    }
    this.#forget(h.key);
  }

  restore(jobs: readonly { holder: ActiveHolder; state: 'waiting' | 'running' }[]): void {
    this.#users.clear();
    this.#community.clear();
    this.#global = 0;
    for (const { holder, state } of jobs) {
      const user = this.#user(holder.key, holder.limits.running);
      if (state === 'running') {
        user.running += 1;
        continue;
      }
      user.waiting += 1;
      this.#addCommunity(holder.communityKey, 1);
      this.#global += 1;
    }
    this.#serial(() => this.#refresh()).catch(this.#onError);
    this.#pollSoon();
  }

  async counts(key: string): Promise<{ running: number; waiting: number }> {
    const [running = 0, waiting = 0] = await this.#eval(COUNTS, [key]);
    return { running, waiting };
  }

  onCanStart(listener: () => void): void {
    this.#listeners.push(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#chain;
    try {
      // Jobs still active are persisted by the engine and re-registered by `restore` at the next start.
      await this.#client.multi().del(this.#self).srem(this.#procs, this.#id).exec();
      await this.#client.quit();
    } catch {
      this.#client.disconnect();
    }
  }

  #tick(): void {
    if (Date.now() - this.#lastRefresh >= this.#leaseMs / 3)
      this.#serial(() => this.#refresh()).catch(this.#onError);
    this.#serial(() => this.#poll()).catch(this.#onError);
  }

  #pollSoon(): void {
    if (this.#pollQueued) return;
    this.#pollQueued = true;
    setImmediate(() => {
      this.#pollQueued = false;
      this.#serial(() => this.#poll()).catch(this.#onError);
    });
  }

  /** Reserves a running slot for each person waiting here who has none and is below their limit. */
  async #poll(): Promise<void> {
    if (this.#closed) return;
    const wanted = [...this.#users].filter(
      ([, u]) => u.waiting > u.reserved && u.running + u.reserved < u.limit,
    );
    if (wanted.length === 0) return;
    const reply = await this.#eval(
      RESERVE,
      wanted.flatMap(([key, u]) => [key, u.limit]),
    );
    if (reply[0] === -1) return this.#refresh();
    let granted = false;
    wanted.forEach(([key], i) => {
      if (reply[i] !== 1) return;
      const user = this.#user(key, 0);
      user.reserved += 1;
      if (user.reserved > user.waiting) {
        // The job left while the answer was on its way.
        user.reserved -= 1;
        this.#delta([[`s:${key}`, -1]]);
        this.#forget(key);
      } else granted = true;
    });
    if (granted) for (const listener of this.#listeners) listener();
  }

  /** (Re)writes this process's whole hash from the mirror and renews the lease. Run only in `#serial`. */
  async #refresh(): Promise<void> {
    if (this.#closed) return;
    const fields: Record<string, number> = { _lease: 1 };
    for (const [key, u] of this.#users) {
      if (u.running > 0) fields[`r:${key}`] = u.running;
      if (u.reserved > 0) fields[`s:${key}`] = u.reserved;
      if (u.waiting > 0) fields[`w:${key}`] = u.waiting;
    }
    for (const [key, n] of this.#community) fields[`c:${key}`] = n;
    if (this.#global > 0) fields.g = this.#global;
    const started = Date.now();
    const results = await this.#client
      .multi()
      .del(this.#self)
      .hset(this.#self, fields)
      .pexpire(this.#self, this.#leaseMs)
      .sadd(this.#procs, this.#id)
      .exec();
    const failed = results?.find(([error]) => error)?.[0];
    if (failed) throw failed;
    this.#lastRefresh = started;
  }

  /** Unchecked changes: sent at once, in order with everything else on the connection. */
  #delta(fields: [string, number][]): void {
    if (this.#closed) return;
    this.#eval(DELTA, fields.flat())
      // Lease lost: the next refresh writes the mirror, which already has this change.
      .then((reply) => {
        if (reply[0] === -1) this.#serial(() => this.#refresh()).catch(this.#onError);
      })
      .catch(this.#onError);
  }

  async #eval(script: string, args: (string | number)[]): Promise<number[]> {
    const reply = await this.#client.eval(script, 2, this.#procs, this.#self, this.#prefix, ...args);
    return reply as number[];
  }

  #serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.#chain.then(run);
    this.#chain = next.catch(() => {});
    return next;
  }

  #user(key: string, limit: number): Holding {
    let user = this.#users.get(key);
    if (!user) {
      user = { running: 0, reserved: 0, waiting: 0, limit };
      this.#users.set(key, user);
    }
    if (limit > 0) user.limit = limit;
    return user;
  }

  #forget(key: string): void {
    const user = this.#users.get(key);
    if (user && user.running <= 0 && user.reserved <= 0 && user.waiting <= 0) this.#users.delete(key);
  }

  #addCommunity(key: string | undefined, by: number): void {
    if (key === undefined) return;
    const next = (this.#community.get(key) ?? 0) + by;
    if (next > 0) this.#community.set(key, next);
    else this.#community.delete(key);
  }
}
