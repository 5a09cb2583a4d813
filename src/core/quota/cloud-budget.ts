import type { BudgetConfig } from '../../config/backend-config.ts';
import type { Store } from '../storage/store.ts';
import {
  type BudgetHit,
  type CloudBudgetLedger,
  countersOf,
  KnownSpentLedger,
  type Spent,
} from './budget-ledger.ts';

export type { BudgetHit, BudgetRemaining, CloudBudgetLedger } from './budget-ledger.ts';

const KEEP_MS = 40 * 24 * 3600_000;

/**
 * The budget ledger of one process: a job is counted when it is sent (and given back when the service
 * refused it without running it); its GPU-seconds when it ends. Counts are kept in memory, so a check
 * and its count happen in one step, and written through to the store so a restart keeps them. Several
 * processes on one Redis use `RedisCloudBudget` instead.
 */
export class CloudBudget extends KnownSpentLedger implements CloudBudgetLedger {
  readonly #store: Store<unknown> | undefined;
  readonly #onError: (error: unknown) => void;

  constructor(o: { store?: Store<unknown>; now?: () => number; onError?: (e: unknown) => void } = {}) {
    super(o.now);
    this.#store = o.store;
    this.#onError = o.onError ?? (() => {});
  }

  async load(): Promise<void> {
    if (!this.#store) return;
    for await (const [id, value] of this.#store.list()) {
      if (!id.startsWith('budget:')) continue;
      const v = value as Partial<Spent>;
      this.spent.set(id, { jobs: Number(v.jobs) || 0, gpuSeconds: Number(v.gpuSeconds) || 0 });
    }
  }

  async reserve(
    backend: string,
    budget: BudgetConfig | undefined,
    community: string,
  ): Promise<BudgetHit | undefined> {
    // No await between the check and the count: nothing else runs in between in this process.
    const hit = this.refusal(backend, budget, community);
    if (!hit) this.chargeJob(backend, community);
    return hit;
  }

  chargeJob(backend: string, community: string, jobs = 1): void {
    this.#add(backend, community, { jobs, gpuSeconds: 0 });
  }

  chargeGpu(backend: string, community: string, seconds: number): void {
    if (seconds > 0) this.#add(backend, community, { jobs: 0, gpuSeconds: seconds });
  }

  #add(backend: string, community: string, d: Spent): void {
    for (const { key } of countersOf(backend, community, this.now())) {
      const s = this.spent.get(key) ?? { jobs: 0, gpuSeconds: 0 };
      const next = { jobs: Math.max(0, s.jobs + d.jobs), gpuSeconds: s.gpuSeconds + d.gpuSeconds };
      this.spent.set(key, next);
      this.#store?.set(key, next, KEEP_MS).catch(this.#onError);
    }
  }
}

/** The community a job's budget is counted in: its guild or group, else its platform (DMs, HTTP). */
export function budgetCommunity(requester: { platform: string; communityId?: string }): string {
  return requester.communityId ?? requester.platform;
}
