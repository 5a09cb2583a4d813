import type { DurationEstimator } from './duration-estimator.ts';

export interface QueuedEntry<T> {
  id: string;
  userKey: string;
  priority: number;
  item: T;
}

/** What `eta` needs beyond the queue itself. */
export interface EtaContext<T> {
  /** The template of a queued item, to look its duration up. */
  templateOf(item: T): string;
  /** Backends able to run jobs now; at least 1 is assumed. */
  backends: number;
  /** Estimated time left of each running job, in ms. */
  runningRemainingMs?: readonly number[];
}

export interface Eta {
  /** Until a backend is expected to pick the job up. */
  startsInMs: number;
  /** Until the job is expected to be finished. */
  finishesInMs: number;
}

/** One priority tier: users in round-robin order, each with their own FIFO of entries. */
interface Tier<T> {
  priority: number;
  rotation: string[];
  byUser: Map<string, QueuedEntry<T>[]>;
}

/**
 * A queue that is fair between people rather than between jobs. Higher `priority` tiers are always served
 * first; within a tier, users take turns (round-robin) and each user's jobs stay in the order they came.
 * A user who is served goes to the back of the rotation, and a newcomer joins at the back, so a newcomer
 * waits at most one job per other user already waiting in the tier, however many jobs those users queued.
 */
export class FairQueue<T> {
  readonly #tiers: Tier<T>[] = []; // sorted, highest priority first
  readonly #entries = new Map<string, QueuedEntry<T>>();

  get size(): number {
    return this.#entries.size;
  }

  has(id: string): boolean {
    return this.#entries.has(id);
  }

  /** Adds a job; `userKey` is the quota identity, so linked accounts share one turn. */
  enqueue(id: string, userKey: string, item: T, options: { priority?: number } = {}): void {
    if (this.#entries.has(id)) throw new Error(`job ${id} is already queued`);
    const entry: QueuedEntry<T> = { id, userKey, priority: options.priority ?? 0, item };
    const tier = this.#tierFor(entry.priority);
    const own = tier.byUser.get(userKey);
    if (own) own.push(entry);
    else {
      tier.byUser.set(userKey, [entry]);
      tier.rotation.push(userKey);
    }
    this.#entries.set(id, entry);
  }

  /** Removes a job (canceled, expired); false if it was not queued. */
  remove(id: string): boolean {
    const entry = this.#entries.get(id);
    if (!entry) return false;
    this.#entries.delete(id);
    const tier = this.#tiers.find((t) => t.priority === entry.priority)!;
    const own = tier.byUser.get(entry.userKey)!;
    own.splice(own.indexOf(entry), 1);
    if (own.length === 0) this.#dropUser(tier, entry.userKey);
    return true;
  }

  /**
   * Takes the next job that `canTake` accepts (e.g. "some backend can run this template now").
   * Refused jobs stay where they are and their users keep their place in the rotation.
   */
  next(canTake: (item: T, entry: QueuedEntry<T>) => boolean = () => true): QueuedEntry<T> | undefined {
    for (const tier of this.#tiers) {
      for (const userKey of tier.rotation) {
        const own = tier.byUser.get(userKey)!;
        const index = own.findIndex((entry) => canTake(entry.item, entry));
        if (index === -1) continue;
        const [entry] = own.splice(index, 1) as [QueuedEntry<T>];
        this.#entries.delete(entry.id);
        tier.rotation.splice(tier.rotation.indexOf(userKey), 1);
        if (own.length > 0) tier.rotation.push(userKey);
        else this.#dropUser(tier, userKey);
        return entry;
      }
    }
    return undefined;
  }

  /** The order jobs will be served in if every job can be taken: tier by tier, one job per user per round. */
  snapshot(): QueuedEntry<T>[] {
    const order: QueuedEntry<T>[] = [];
    for (const tier of this.#tiers) {
      const queues = tier.rotation.map((userKey) => tier.byUser.get(userKey)!);
      const rounds = Math.max(0, ...queues.map((q) => q.length));
      for (let round = 0; round < rounds; round++) {
        for (const queue of queues) {
          const entry = queue[round];
          if (entry) order.push(entry);
        }
      }
    }
    return order;
  }

  /** How many jobs will be served before this one under the current order (0 = next), or undefined. */
  position(id: string): number | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    // Counted without building the whole order (O(users), not O(jobs)): all of every higher tier, then in
    // this tier every job of an earlier round, then the users before this one in the rotation this round.
    let ahead = 0;
    for (const tier of this.#tiers) {
      if (tier.priority > entry.priority) {
        for (const own of tier.byUser.values()) ahead += own.length;
        continue;
      }
      if (tier.priority < entry.priority) break;
      const round = tier.byUser.get(entry.userKey)!.indexOf(entry);
      for (const userKey of tier.rotation) {
        const length = tier.byUser.get(userKey)!.length;
        ahead += Math.min(length, round);
        if (userKey === entry.userKey) break;
        if (length > round) ahead++;
      }
      // Users after this one in the rotation still had their earlier rounds before this job's round.
      const at = tier.rotation.indexOf(entry.userKey);
      for (const userKey of tier.rotation.slice(at + 1))
        ahead += Math.min(tier.byUser.get(userKey)!.length, round);
    }
    return ahead;
  }

  /**
   * Estimated wait, as:
   *   startsInMs   = (Σ estimate(job ahead) + Σ runningRemainingMs) / backends
   *   finishesInMs = startsInMs + estimate(this job)
   * i.e. all known work ahead of the job, shared evenly by the backends. With one backend this is exactly
   * "jobs ahead × estimate + remaining time of the running job".
   */
  eta(id: string, estimator: DurationEstimator, context: EtaContext<T>): Eta | undefined {
    const order = this.snapshot();
    const index = order.findIndex((entry) => entry.id === id);
    if (index === -1) return undefined;
    const estimate = (entry: QueuedEntry<T>) => estimator.estimate(context.templateOf(entry.item));
    const ahead = order.slice(0, index).reduce((sum, entry) => sum + estimate(entry), 0);
    const running = (context.runningRemainingMs ?? []).reduce((sum, ms) => sum + Math.max(0, ms), 0);
    const startsInMs = Math.round((ahead + running) / Math.max(1, context.backends));
    return { startsInMs, finishesInMs: startsInMs + estimate(order[index]!) };
  }

  #tierFor(priority: number): Tier<T> {
    const existing = this.#tiers.find((tier) => tier.priority === priority);
    if (existing) return existing;
    const tier: Tier<T> = { priority, rotation: [], byUser: new Map() };
    const at = this.#tiers.findIndex((t) => t.priority < priority);
    this.#tiers.splice(at === -1 ? this.#tiers.length : at, 0, tier);
    return tier;
  }

  #dropUser(tier: Tier<T>, userKey: string): void {
    tier.byUser.delete(userKey);
    const at = tier.rotation.indexOf(userKey);
    if (at !== -1) tier.rotation.splice(at, 1);
    if (tier.byUser.size === 0) this.#tiers.splice(this.#tiers.indexOf(tier), 1);
  }
}
