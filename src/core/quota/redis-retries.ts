/** Longest pause between two tries of a write. */
const MAX_PAUSE_MS = 5000;

/**
 * Writes sent without the caller waiting (a job ended: stop counting it), run one after another and
 * each tried again until Redis takes it: a count is never left wrong because Redis restarted. Each
 * write must be idempotent (the scripts are: they act on a job's recorded state).
 */
export class RedisRetries {
  readonly #onError: (error: unknown) => void;
  #chain: Promise<void> = Promise.resolve();
  #pending = 0;
  #closed = false;

  constructor(onError: (error: unknown) => void) {
    this.#onError = onError;
  }

  get pending(): number {
    return this.#pending;
  }

  run(write: () => Promise<unknown>): void {
    this.#pending++;
    this.#chain = this.#chain.then(async () => {
      for (let attempt = 0; !this.#closed; attempt++) {
        try {
          await write();
          break;
        } catch (error) {
          if (attempt === 0) this.#onError(error);
          await new Promise((r) => setTimeout(r, Math.min(MAX_PAUSE_MS, 100 * 2 ** attempt)).unref());
        }
      }
      this.#pending--;
    });
  }

  /** Waits for the writes under way (at most `ms`), then stops retrying. */
  async drain(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.#chain, new Promise((r) => (timer = setTimeout(r, ms)))]);
    clearTimeout(timer);
    this.#closed = true;
  }
}
