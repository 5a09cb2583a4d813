import Bottleneck from 'bottleneck';
import type { Store } from '../storage/store.ts';
import type { WindowUsage } from './types.ts';
import { takeFromReservoir, type WindowCounter, type WindowCounterFactory } from './window-counter.ts';

/** What survives a restart, per counter, in the storage `quota` namespace. */
interface WindowRecord {
  windowStart: number;
  used: number;
}

const isWindowRecord = (value: unknown): value is WindowRecord =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as WindowRecord).windowStart === 'number' &&
  typeof (value as WindowRecord).used === 'number';

/**
 * In-process counters (embedded mode). Each is a local Bottleneck reservoir; after every change its
 * `{ windowStart, used }` is written to `store`, and on open a record from before a restart is restored.
 */
export function localWindows(
  options: { store?: Store<unknown>; now?: () => number } = {},
): WindowCounterFactory {
  const now = options.now ?? Date.now;
  const open = new Set<LocalWindow>();
  return {
    async open(id, limit, windowMs) {
      const record = await options.store?.get(id);
      const window = new LocalWindow(id, limit, windowMs, now, options.store);
      if (isWindowRecord(record) && now() < record.windowStart + windowMs) window.restore(record);
      else window.startFresh(now());
      open.add(window);
      return window;
    },
    async close() {
      await Promise.all([...open].map((window) => window.close()));
      open.clear();
    },
  };
}

class LocalWindow implements WindowCounter {
  #limiter!: Bottleneck;
  #windowStart = 0;
  #refreshes = false;
  #rollover?: NodeJS.Timeout;

  readonly id: string;
  readonly limit: number;
  readonly windowMs: number;
  readonly now: () => number;
  readonly store: Store<unknown> | undefined;

  constructor(
    id: string,
    limit: number,
    windowMs: number,
    now: () => number,
    store: Store<unknown> | undefined,
  ) {
    this.id = id;
    this.limit = limit;
    this.windowMs = windowMs;
    this.now = now;
    this.store = store;
  }

  startFresh(at: number): void {
    this.#windowStart = at;
    this.#refreshes = true;
    this.#limiter = new Bottleneck({
      reservoir: this.limit,
      reservoirRefreshAmount: this.limit,
      reservoirRefreshInterval: this.windowMs,
    });
  }

  /**
   * Bottleneck starts its refresh clock when a limiter is created, so a restored window cannot simply be
   * given `reservoirRefreshInterval`: it would refill a full window after the restart instead of at the end
   * of the window already running. The restored limiter has no refresh; at the window's end it is replaced
   * by a fresh one.
   */
  restore(record: WindowRecord): void {
    this.#windowStart = record.windowStart;
    this.#refreshes = false;
    this.#limiter = new Bottleneck({ reservoir: this.limit - record.used });
    const endsIn = record.windowStart + this.windowMs - this.now();
    this.#rollover = setTimeout(() => {
      const previous = this.#limiter;
      this.startFresh(this.now());
      void previous.disconnect();
    }, endsIn);
    this.#rollover.unref();
  }

  async tryTake(amount: number): Promise<boolean> {
    const taken = await takeFromReservoir((by) => this.#limiter.incrementReservoir(by), amount);
    if (taken) await this.#persist();
    return taken;
  }

  async charge(amount: number): Promise<void> {
    await this.#limiter.incrementReservoir(-amount);
    await this.#persist();
  }

  async refund(amount: number): Promise<void> {
    const left = (await this.#limiter.currentReservoir()) ?? this.limit;
    const back = Math.min(amount, this.limit - left);
    if (back > 0) await this.#limiter.incrementReservoir(back);
    await this.#persist();
  }

  async usage(): Promise<WindowUsage> {
    const left = (await this.#limiter.currentReservoir()) ?? this.limit;
    return {
      used: this.limit - left,
      limit: this.limit,
      remaining: Math.max(0, left),
      resetsAt: this.#currentWindowStart() + this.windowMs,
    };
  }

  async close(): Promise<void> {
    clearTimeout(this.#rollover);
    await this.#limiter.disconnect();
  }

  /** Bottleneck refilled on its own heartbeat; follow it forward without asking (it has no API for this). */
  #currentWindowStart(): number {
    if (this.#refreshes) {
      const elapsed = this.now() - this.#windowStart;
      if (elapsed >= this.windowMs) this.#windowStart += Math.floor(elapsed / this.windowMs) * this.windowMs;
    }
    return this.#windowStart;
  }

  async #persist(): Promise<void> {
    if (!this.store) return;
    const { used, resetsAt } = await this.usage();
    const ttl = resetsAt - this.now();
    if (ttl > 0) await this.store.set(this.id, { windowStart: resetsAt - this.windowMs, used }, ttl);
  }
}
