import type { BudgetConfig, BudgetLimits } from '../../config/backend-config.ts';

/** Which budget limit stopped a job, as the person and the operator are told it. */
export interface BudgetHit {
  backend: string;
  scope: 'overall' | 'community';
  limit: keyof BudgetLimits;
  max: number;
  used: number;
  /** When the period of that limit ends (UTC midnight, or the first of next month). */
  resetsAt: number;
}

/** What is left of one backend's budget, for `/quota` and `doctor`. */
export interface BudgetRemaining extends BudgetHit {
  left: number;
}

/** Jobs sent and GPU-seconds used in one period, for one backend and one scope. */
export interface Spent {
  jobs: number;
  gpuSeconds: number;
}

/**
 * What paid backends (Comfy Cloud) may still spend: jobs and GPU-seconds per UTC day and month, for
 * everyone and per community. One interface, two ledgers: `CloudBudget` (one process, kept in the quota
 * store) and `RedisCloudBudget` (every process on one Redis, reserved atomically there).
 */
export interface CloudBudgetLedger {
  /** Reads back what was spent in the current periods. */
  load(): Promise<void>;
  /** The first limit a new job from `community` would break, from the counts last known; undefined: within. */
  refusal(backend: string, budget: BudgetConfig | undefined, community: string): BudgetHit | undefined;
  /** Every limit of this backend's budget with what is left; community limits only with a community. */
  remaining(backend: string, budget: BudgetConfig | undefined, community?: string): BudgetRemaining[];
  /**
   * Checks and counts one job sent to the backend in one step, so that jobs sent at once (from this
   * process or others) never exceed a limit together. The limit it would break, and nothing counted.
   */
  reserve(
    backend: string,
    budget: BudgetConfig | undefined,
    community: string,
  ): Promise<BudgetHit | undefined>;
  /** A job given back (`jobs` -1) when the service refused it without running it, or counted (+1). */
  chargeJob(backend: string, community: string, jobs?: number): void;
  /** The GPU time a job used there. */
  chargeGpu(backend: string, community: string, seconds: number): void;
  close?(): Promise<void>;
}

export const LIMITS: readonly (keyof BudgetLimits)[] = [
  'jobsPerDay',
  'jobsPerMonth',
  'gpuSecondsPerDay',
  'gpuSecondsPerMonth',
];

/** `2026-12-03` or `2026-12`, and when that period ends. */
export function periodOf(limit: keyof BudgetLimits, now: number): { id: string; endsAt: number } {
  const d = new Date(now);
  if (limit.endsWith('Day')) {
    return {
      id: d.toISOString().slice(0, 10),
      endsAt: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1),
    };
  }
  return { id: d.toISOString().slice(0, 7), endsAt: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
}

/** The store key of one backend's spending, for `all` or `c:<community>`, in one period. */
export function budgetKey(backend: string, who: string, period: string): string {
  return `budget:${backend}:${who}:${period}`;
}

/** The four counters a job is counted in now: day and month, overall and for its community. */
export function countersOf(
  backend: string,
  community: string,
  now: number,
): { key: string; endsAt: number }[] {
  const day = periodOf('jobsPerDay', now);
  const month = periodOf('jobsPerMonth', now);
  return ['all', `c:${community}`].flatMap((who) =>
    [day, month].map((p) => ({ key: budgetKey(backend, who, p.id), endsAt: p.endsAt })),
  );
}

/** Every limit of the budget against the counts `spent` gives, overall first, in `LIMITS` order. */
export function remainingOf(
  spent: (key: string) => Spent | undefined,
  now: number,
  backend: string,
  budget: BudgetConfig | undefined,
  community?: string,
): BudgetRemaining[] {
  const out: BudgetRemaining[] = [];
  const scopes = [
    ['overall', budget?.overall, 'all'],
    ['community', community === undefined ? undefined : budget?.perCommunity, `c:${community}`],
  ] as const;
  for (const [scope, limits, who] of scopes) {
    for (const limit of LIMITS) {
      const max = limits?.[limit];
      if (max === undefined) continue;
      const period = periodOf(limit, now);
      const s = spent(budgetKey(backend, who, period.id));
      const used = (limit.startsWith('jobs') ? s?.jobs : s?.gpuSeconds) ?? 0;
      out.push({ backend, scope, limit, max, used, left: Math.max(0, max - used), resetsAt: period.endsAt });
    }
  }
  return out;
}

/** The first limit with nothing left. */
export function firstSpent(remaining: readonly BudgetRemaining[]): BudgetHit | undefined {
  const r = remaining.find((x) => x.left <= 0);
  if (!r) return undefined;
  const { left: _, ...hit } = r;
  return hit;
}

/**
 * The one place a budget check is decided, from the counts a ledger last knew: both ledgers keep them in
 * `spent` (the one-process ledger as its truth, the Redis one as its last read) and answer from it.
 */
export abstract class KnownSpentLedger {
  protected readonly spent = new Map<string, Spent>();
  protected readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  refusal(backend: string, budget: BudgetConfig | undefined, community: string): BudgetHit | undefined {
    return firstSpent(this.remaining(backend, budget, community));
  }

  remaining(backend: string, budget: BudgetConfig | undefined, community?: string): BudgetRemaining[] {
    return remainingOf((k) => this.spent.get(k), this.now(), backend, budget, community);
  }
}
