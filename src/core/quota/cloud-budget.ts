import type { BudgetConfig, BudgetLimits } from '../../config/backend-config.ts';
import type { Store } from '../storage/store.ts';

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
export interface BudgetRemaining {
  backend: string;
  scope: 'overall' | 'community';
  limit: keyof BudgetLimits;
  max: number;
  used: number;
  left: number;
  resetsAt: number;
}

interface Spent {
  jobs: number;
  gpuSeconds: number;
}

const LIMITS: readonly (keyof BudgetLimits)[] = [
  'jobsPerDay',
  'jobsPerMonth',
  'gpuSecondsPerDay',
  'gpuSecondsPerMonth',
];
const KEEP_MS = 40 * 24 * 3600_000;

/** `2026-12-03` or `2026-12`, and when that period ends. */
function periodOf(limit: keyof BudgetLimits, now: number): { id: string; endsAt: number } {
  const d = new Date(now);
  if (limit.endsWith('Day')) {
    return {
      id: d.toISOString().slice(0, 10),
      endsAt: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1),
    };
  }
  return { id: d.toISOString().slice(0, 7), endsAt: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
}

/**
 * What paid backends (Comfy Cloud) may still spend: jobs and GPU-seconds per UTC day and month, for
 * everyone (`overall`) and per community. A job is counted when it is sent (and given back when the
 * service refused it without running it); its GPU-seconds when it ends. Counts are kept in memory
 * (routing is synchronous) and written through to the store so a restart keeps them.
 */
export class CloudBudget {
  readonly #spent = new Map<string, Spent>();
  readonly #store: Store<unknown> | undefined;
  readonly #now: () => number;
  readonly #onError: (error: unknown) => void;

  constructor(o: { store?: Store<unknown>; now?: () => number; onError?: (e: unknown) => void } = {}) {
    this.#store = o.store;
    this.#now = o.now ?? Date.now;
    this.#onError = o.onError ?? (() => {});
  }

  /** Reads back what was spent in the current periods. */
  async load(): Promise<void> {
    if (!this.#store) return;
    for await (const [id, value] of this.#store.list()) {
      if (!id.startsWith('budget:')) continue;
      const v = value as Partial<Spent>;
      this.#spent.set(id, { jobs: Number(v.jobs) || 0, gpuSeconds: Number(v.gpuSeconds) || 0 });
    }
  }

  /** The first limit a new job from `community` would break on this backend; undefined when within budget. */
  refusal(backend: string, budget: BudgetConfig | undefined, community: string): BudgetHit | undefined {
    for (const r of this.remaining(backend, budget, community)) {
      if (r.left <= 0) {
        const { left: _, ...hit } = r;
        return hit;
      }
    }
    return undefined;
  }

  /** Every limit of this backend's budget with what is left; community limits only with a community. */
  remaining(backend: string, budget: BudgetConfig | undefined, community?: string): BudgetRemaining[] {
    const out: BudgetRemaining[] = [];
    const now = this.#now();
    const scopes = [
      ['overall', budget?.overall, 'all'],
      ['community', community === undefined ? undefined : budget?.perCommunity, `c:${community}`],
    ] as const;
    for (const [scope, limits, who] of scopes) {
      for (const limit of LIMITS) {
        const max = limits?.[limit];
        if (max === undefined) continue;
        const period = periodOf(limit, now);
        const spent = this.#spent.get(key(backend, who, period.id));
        const used = (limit.startsWith('jobs') ? spent?.jobs : spent?.gpuSeconds) ?? 0;
        out.push({
          backend,
          scope,
          limit,
          max,
          used,
          left: Math.max(0, max - used),
          resetsAt: period.endsAt,
        });
      }
    }
    return out;
  }

  /** A job was sent to the backend (`jobs` +1), or given back (`jobs` -1) when it never ran. */
  chargeJob(backend: string, community: string, jobs = 1): void {
    this.#add(backend, community, { jobs, gpuSeconds: 0 });
  }

  /** The GPU time a job used there. */
  chargeGpu(backend: string, community: string, seconds: number): void {
    if (seconds > 0) this.#add(backend, community, { jobs: 0, gpuSeconds: seconds });
  }

  #add(backend: string, community: string, d: Spent): void {
    const now = this.#now();
    const periods = new Set([periodOf('jobsPerDay', now).id, periodOf('jobsPerMonth', now).id]);
    for (const who of ['all', `c:${community}`]) {
      for (const period of periods) {
        const id = key(backend, who, period);
        const s = this.#spent.get(id) ?? { jobs: 0, gpuSeconds: 0 };
        const next = { jobs: Math.max(0, s.jobs + d.jobs), gpuSeconds: s.gpuSeconds + d.gpuSeconds };
        this.#spent.set(id, next);
        this.#store?.set(id, next, KEEP_MS).catch(this.#onError);
      }
    }
  }
}

function key(backend: string, who: string, period: string): string {
  return `budget:${backend}:${who}:${period}`;
}

/** The community a job's budget is counted in: its guild or group, else its platform (DMs, HTTP). */
export function budgetCommunity(requester: { platform: string; communityId?: string }): string {
  return requester.communityId ?? requester.platform;
}
