import type { QueueEntry } from '../cluster-jobs.ts';

const list = (value: string) => (value ? value.split(',') : []);

/**
 * This process's copy of the shared queue's fair order (for positions, ETAs, expiry and overflow), read
 * again in the background after changes, at most a few times a second.
 */
export class QueueView {
  readonly #read: () => Promise<string[]>;
  readonly #onChange: () => void;
  #last = '';
  #waiting: QueueEntry[] = [];
  #positions = new Map<string, number>();
  #running = false;
  #again = false;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  /**
   * `read`: the `SNAPSHOT` script's reply (id, owner, platform, incapable, queued-at, flattened);
   * `onChange`: called after a read that differs from the one before.
   */
  constructor(read: () => Promise<string[]>, onChange: () => void = () => {}) {
    this.#read = read;
    this.#onChange = onChange;
  }

  get waiting(): readonly QueueEntry[] {
    return this.#waiting;
  }

  position(jobId: string): number | undefined {
    return this.#positions.get(jobId);
  }

  refreshSoon(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    if (this.#timer || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#running = true;
      this.#load()
        .catch(() => {})
        .finally(() => {
          this.#running = false;
          if (this.#again) {
            this.#again = false;
            this.refreshSoon();
          }
        });
    }, 100);
    this.#timer.unref();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  async #load(): Promise<void> {
    const flat = await this.#read();
    const seen = flat.join('\n');
    if (seen === this.#last || this.#closed) return;
    this.#last = seen;
    const waiting: QueueEntry[] = [];
    for (let i = 0; i + 4 < flat.length; i += 5) {
      waiting.push({
        id: flat[i]!,
        owner: flat[i + 1]!,
        priority: 0,
        platform: flat[i + 2]!,
        incapable: list(flat[i + 3]!),
        avoid: [],
        queuedAt: Number(flat[i + 4]),
      });
    }
    this.#waiting = waiting;
    this.#positions = new Map(waiting.map((e, i) => [e.id, i]));
    this.#onChange();
  }
}
