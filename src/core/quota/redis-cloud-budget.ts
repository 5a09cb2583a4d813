import { Redis } from 'ioredis';
import type { BudgetConfig } from '../../config/backend-config.ts';
import {
  type BudgetHit,
  type CloudBudgetLedger,
  countersOf,
  KnownSpentLedger,
  LIMITS,
  periodOf,
} from './budget-ledger.ts';
import { RedisRetries } from './redis-retries.ts';

/*
 * One hash per counter, `<prefix>:budget:<backend>:<all|c:community>:<period>` with fields `jobs` and
 * `gpu`, expiring when its period ends. KEYS: the four counters of a job (day, month; overall, community).
 */

/** ARGV: 4 job limits, 4 GPU-second limits ('' none), 4 period ends (ms). Checks all, then counts 1 job in each. */
const RESERVE = `
for i = 1, 4 do
  local jobs = tonumber(redis.call('HGET', KEYS[i], 'jobs') or '0')
  local gpu = tonumber(redis.call('HGET', KEYS[i], 'gpu') or '0')
  if (ARGV[i] ~= '' and jobs + 1 > tonumber(ARGV[i])) or (ARGV[i + 4] ~= '' and gpu >= tonumber(ARGV[i + 4])) then
    local out = { 0 }
    for k = 1, 4 do
      out[#out + 1] = redis.call('HGET', KEYS[k], 'jobs') or '0'
      out[#out + 1] = redis.call('HGET', KEYS[k], 'gpu') or '0'
    end
    return out
  end
end
local out = { 1 }
for i = 1, 4 do
  out[#out + 1] = tostring(redis.call('HINCRBY', KEYS[i], 'jobs', 1))
  out[#out + 1] = redis.call('HGET', KEYS[i], 'gpu') or '0'
  redis.call('PEXPIREAT', KEYS[i], ARGV[i + 8])
end
return out
`;

/** ARGV: jobs to add (never below 0), GPU-seconds to add, 4 period ends. Replies the new counts. */
const ADD = `
local out = { 1 }
for i = 1, 4 do
  local jobs = redis.call('HINCRBY', KEYS[i], 'jobs', ARGV[1])
  if jobs < 0 then redis.call('HSET', KEYS[i], 'jobs', 0); jobs = 0 end
  out[#out + 1] = tostring(jobs)
  out[#out + 1] = redis.call('HINCRBYFLOAT', KEYS[i], 'gpu', ARGV[2])
  redis.call('PEXPIREAT', KEYS[i], ARGV[i + 2])
end
return out
`;

export interface RedisCloudBudgetOptions {
  url: string;
  /** Key prefix (default `comfyrelay`). */
  prefix?: string;
  now?: () => number;
  /** How often counts spent by other processes are read again, for `/quota` and routing (default 2 s). */
  refreshMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * The budget ledger of every process on one Redis: a job is checked against every limit and counted in
 * one script, so processes sending at once never overspend together. Checks made without sending
 * (`refusal`, `remaining`) answer from the counts last read, refreshed in the background.
 */
export class RedisCloudBudget extends KnownSpentLedger implements CloudBudgetLedger {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #writes: RedisRetries;
  readonly #timer: NodeJS.Timeout;
  #closed = false;

  constructor(o: RedisCloudBudgetOptions) {
    super(o.now);
    this.#redis = new Redis(o.url, { maxRetriesPerRequest: null });
    this.#redis.on('error', () => {});
    this.#prefix = o.prefix ?? 'comfyrelay';
    this.#writes = new RedisRetries(o.onError ?? (() => {}));
    this.#timer = setInterval(() => void this.load().catch(() => {}), o.refreshMs ?? 2000);
    this.#timer.unref();
  }

  async load(): Promise<void> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await this.#redis.scan(cursor, 'MATCH', `${this.#prefix}:budget:*`, 'COUNT', 500);
      cursor = next;
      keys.push(...found);
    } while (cursor !== '0');
    const seen = new Set<string>();
    for (const full of keys) {
      const v = await this.#redis.hgetall(full);
      const key = full.slice(this.#prefix.length + 1);
      seen.add(key);
      this.spent.set(key, { jobs: Number(v['jobs']) || 0, gpuSeconds: Number(v['gpu']) || 0 });
    }
    for (const key of this.spent.keys()) if (!seen.has(key)) this.spent.delete(key);
  }

  async reserve(
    backend: string,
    budget: BudgetConfig | undefined,
    community: string,
  ): Promise<BudgetHit | undefined> {
    const now = this.now();
    const counters = countersOf(backend, community, now);
    // Counter order: overall day, overall month, community day, community month.
    const scopes = [budget?.overall, budget?.overall, budget?.perCommunity, budget?.perCommunity];
    const arg = (n: number | undefined) => (n === undefined ? '' : String(n));
    const jobLimits = scopes.map((l, i) => arg(i % 2 === 0 ? l?.jobsPerDay : l?.jobsPerMonth));
    const gpuLimits = scopes.map((l, i) => arg(i % 2 === 0 ? l?.gpuSecondsPerDay : l?.gpuSecondsPerMonth));
    const reply = (await this.#redis.eval(
      RESERVE,
      4,
      ...counters.map((c) => this.#full(c.key)),
      ...jobLimits,
      ...gpuLimits,
      ...counters.map((c) => c.endsAt),
    )) as string[];
    this.#remember(counters, reply);
    if (Number(reply[0]) === 1) return undefined;
    return this.refusal(backend, budget, community) ?? fallbackHit(backend, budget, now);
  }

  chargeJob(backend: string, community: string, jobs = 1): void {
    this.#add(backend, community, jobs, 0);
  }

  chargeGpu(backend: string, community: string, seconds: number): void {
    if (seconds > 0) this.#add(backend, community, 0, seconds);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#writes.drain(2000);
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }

  #add(backend: string, community: string, jobs: number, gpu: number): void {
    const counters = countersOf(backend, community, this.now());
    this.#writes.run(async () => {
      const reply = (await this.#redis.eval(
        ADD,
        4,
        ...counters.map((c) => this.#full(c.key)),
        jobs,
        gpu,
        ...counters.map((c) => c.endsAt),
      )) as string[];
      this.#remember(counters, reply);
    });
  }

  #remember(counters: readonly { key: string }[], reply: readonly string[]): void {
    counters.forEach((c, i) => {
      this.spent.set(c.key, {
        jobs: Number(reply[1 + 2 * i]) || 0,
        gpuSeconds: Number(reply[2 + 2 * i]) || 0,
      });
    });
  }

  #full(key: string): string {
    return `${this.#prefix}:${key}`;
  }
}

/** Refused by Redis while the counts read here say otherwise (a period turned meanwhile): the first limit. */
function fallbackHit(backend: string, budget: BudgetConfig | undefined, now: number): BudgetHit {
  const limit = LIMITS.find((l) => budget?.overall?.[l] !== undefined) ?? 'jobsPerDay';
  const max = budget?.overall?.[limit] ?? 0;
  return { backend, scope: 'overall', limit, max, used: max, resetsAt: periodOf(limit, now).endsAt };
}
