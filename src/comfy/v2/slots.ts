/**
 * The jobs this client may have on the service at once (the plan's concurrency, plus any queue the
 * operator wants kept filled). A submit takes a slot before it is sent and gives it back when its job
 * ends, so the client never floods the service's own queue.
 */
export class Slots {
  readonly size: number;
  #used = 0;
  readonly #waiting: { grant: () => void; signal?: AbortSignal }[] = [];

  constructor(size: number) {
    this.size = Math.max(1, Math.floor(size));
  }

  get used(): number {
    return this.#used;
  }

  get free(): number {
    return Math.max(0, this.size - this.#used);
  }

  /** Submits waiting for a slot. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /**
   * Resolves with a release function once a slot is free; rejects with the signal's reason if it is
   * aborted first. The release function is idempotent.
   */
  take(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#used < this.size && this.#waiting.length === 0) return Promise.resolve(this.#grant());
    return new Promise((resolve, reject) => {
      const waiter = {
        signal,
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.#grant());
        },
      };
      const onAbort = () => {
        const i = this.#waiting.indexOf(waiter);
        if (i >= 0) this.#waiting.splice(i, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(waiter);
    });
  }

  /** Counts a job that is already on the service (re-attached after a restart), even past the size. */
  force(): () => void {
    return this.#grant();
  }

  #grant(): () => void {
    this.#used++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#used--;
      const next = this.#waiting.shift();
      next?.grant();
    };
  }
}
