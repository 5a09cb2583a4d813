import type { WindowCounter, WindowCounterFactory } from './window-counter.ts';
import type { WindowSpec } from './window-specs.ts';

const DEFAULT_MAX_OPEN = 10_000;
const DEFAULT_IDLE_MS = 10 * 60_000;
/** How often idle counters are looked for when nothing is being admitted. */
const SWEEP_MS = 60_000;

/** An open counter and who is using it; it is only closed while no call on it is in flight. */
interface OpenWindow {
  counter: Promise<WindowCounter>;
  idleMs: number;
  lastUsed: number;
  users: number;
}

export interface WindowCacheOptions {
  factory: WindowCounterFactory;
  now: () => number;
  maxOpen?: number;
  idleMs?: number;
}

/**
 * The window counters kept open, bounded: a counter unused for `idleMs` or for its window, whichever is
 * shorter, is closed, and the least recently used are closed past `maxOpen`. Their balances stay in the
 * factory's store (or Redis), and the next use reopens them where they were.
 */
export class WindowCache {
  readonly #factory: WindowCounterFactory;
  readonly #now: () => number;
  /** Open counters by id, least recently used first (a use moves its counter to the end). */
  readonly #windows = new Map<string, OpenWindow>();
  /** Counters being closed, by id; reopening an id waits for its close, so balances never race. */
  readonly #closing = new Map<string, Promise<void>>();
  readonly #maxOpen: number;
  readonly #idleMs: number;
  readonly #sweeper: NodeJS.Timeout;

  constructor(options: WindowCacheOptions) {
    this.#factory = options.factory;
    this.#now = options.now;
    this.#maxOpen = Math.max(1, options.maxOpen ?? DEFAULT_MAX_OPEN);
    this.#idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
    this.#sweeper = setInterval(() => this.#sweep(true), SWEEP_MS);
    this.#sweeper.unref();
  }

  /** Counters open or still closing. */
  get size(): number {
    return this.#windows.size + this.#closing.size;
  }

  /**
   * Runs `run` on the spec's counter, opening it (or reopening it, once a close in progress is done) when
   * needed. The counter counts as in use until `run` settles, and a counter in use is never closed.
   */
  async use<T>(spec: WindowSpec, run: (counter: WindowCounter) => Promise<T>): Promise<T> {
    const entry = this.#acquire(spec);
    try {
      return await run(await entry.counter);
    } finally {
      entry.users -= 1;
      entry.lastUsed = this.#now();
      if (this.#windows.get(spec.id) === entry) {
        this.#windows.delete(spec.id);
        this.#windows.set(spec.id, entry);
      }
      this.#sweep(false);
    }
  }

  /** Stops the sweep and closes every counter, including those still opening or closing. */
  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    const open = [...this.#windows.values()];
    this.#windows.clear();
    // Includes counters still opening, which the factory does not know of yet.
    await Promise.all([
      ...this.#closing.values(),
      ...open.map(({ counter }) => counter.then((c) => c.close()).catch(() => {})),
    ]);
  }

  #acquire(spec: WindowSpec): OpenWindow {
    let entry = this.#windows.get(spec.id);
    if (entry) {
      this.#windows.delete(spec.id);
    } else {
      const open = () => this.#factory.open(spec.id, spec.limit, spec.windowMs);
      const closing = this.#closing.get(spec.id);
      const created: OpenWindow = {
        counter: closing ? closing.then(open) : open(),
        idleMs: Math.min(spec.windowMs, this.#idleMs),
        lastUsed: this.#now(),
        users: 0,
      };
      created.counter.catch(() => {
        if (this.#windows.get(spec.id) === created) this.#windows.delete(spec.id);
      });
      entry = created;
    }
    entry.users += 1;
    this.#windows.set(spec.id, entry);
    return entry;
  }

  /**
   * Closes idle counters, then the least recently used past `maxOpen`, skipping counters in use. After
   * each use only the oldest are looked at (it stops at the first one to keep); the periodic sweep
   * looks at all of them.
   */
  #sweep(full: boolean): void {
    const now = this.#now();
    for (const [id, entry] of this.#windows) {
      if (entry.users > 0) continue;
      if (this.#windows.size > this.#maxOpen || now - entry.lastUsed >= entry.idleMs) this.#evict(id, entry);
      else if (!full) return;
    }
  }

  #evict(id: string, entry: OpenWindow): void {
    this.#windows.delete(id);
    // Nothing is in flight on it (`users` is 0), so its last change is already persisted.
    const closed: Promise<void> = entry.counter
      .then((counter) => counter.close())
      .catch(() => {})
      .finally(() => {
        if (this.#closing.get(id) === closed) this.#closing.delete(id);
      });
    this.#closing.set(id, closed);
  }
}
