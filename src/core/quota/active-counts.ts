/**
 * Jobs admitted and not finished, counted in memory. Not persisted: after a restart the engine rebuilds
 * them from its active jobs (`QuotaLedger.restore`), which are the truth anyway.
 */
export class ActiveCounts {
  readonly #users = new Map<string, { running: number; waiting: number }>();
  readonly #communityWaiting = new Map<string, number>();
  #globalWaiting = 0;

  user(key: string): { running: number; waiting: number } {
    return this.#users.get(key) ?? { running: 0, waiting: 0 };
  }

  communityWaiting(key: string | undefined): number {
    return key === undefined ? 0 : (this.#communityWaiting.get(key) ?? 0);
  }

  get globalWaiting(): number {
    return this.#globalWaiting;
  }

  /** Adds (or with a negative `by`, removes) a waiting job for the user, their community and overall. */
  addWaiting(key: string, communityKey: string | undefined, by: number): void {
    this.#setUser(key, { ...this.user(key), waiting: this.user(key).waiting + by });
    if (communityKey !== undefined) {
      const next = this.communityWaiting(communityKey) + by;
      if (next > 0) this.#communityWaiting.set(communityKey, next);
      else this.#communityWaiting.delete(communityKey);
    }
    this.#globalWaiting += by;
  }

  addRunning(key: string, by: number): void {
    this.#setUser(key, { ...this.user(key), running: this.user(key).running + by });
  }

  clear(): void {
    this.#users.clear();
    this.#communityWaiting.clear();
    this.#globalWaiting = 0;
  }

  #setUser(key: string, counts: { running: number; waiting: number }): void {
    if (counts.running > 0 || counts.waiting > 0) this.#users.set(key, counts);
    else this.#users.delete(key);
  }
}
