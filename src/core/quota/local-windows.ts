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
 * `{ windowStart, used }` is written to `store`, and on open a record from before a restart (or from
 * before the counter was closed) is restored. Without a store the record of a closed counter is kept in
 * memory until its window ends, so closing an idle counter never hands its owner a fresh window.
 */
export function localWindows(
  options: { store?: Store<unknown>; now?: () => number } = {},
): WindowCounterFactory {
  const now = options.now ?? Date.now;
  const open = new Set<LocalWindow>();
  const parked = options.store ? undefined : new ParkedRecords(now);
  return {
    async open(id, limit, windowMs) {
      const record = parked ? parked.take(id) : await options.store?.get(id);
      const window = new LocalWindow(id, limit, windowMs, now, options.store, (closed, last) => {
        open.delete(closed);
        if (last) parked?.put(id, last, windowMs);
      });
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

/** Records of closed counters when there is no store, dropped once their window has ended. */
class ParkedRecords {
  readonly #records = new Map<string, WindowRecord & { endsAt: number }>();
  readonly #now: () => number;
  #sweepAt = 1024;

  constructor(now: () => number) {
    this.#now = now;
  }

  take(id: string): WindowRecord | undefined {
    const record = this.#records.get(id);
    this.#records.delete(id);
    return record;
  }

  put(id: string, record: WindowRecord, windowMs: number): void {
    const endsAt = record.windowStart + windowMs;
    if (endsAt <= this.#now()) return;
    this.#records.set(id, { ...record, endsAt });
    if (this.#records.size < this.#sweepAt) return;
    // Amortised: a full sweep only after the map has doubled since the last one.
    const now = this.#now();
    for (const [key, { endsAt: end }] of this.#records) if (end <= now) this.#records.delete(key);
    this.#sweepAt = Math.max(1024, this.#records.size * 2);
  }
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
  /** Told once, after the timers stopped; `last` is the final record (absent when the window is over). */
  readonly onClose: (window: LocalWindow, last: WindowRecord | undefined) => void;
  #closing?: Promise<void>;
  #writes: Promise<void> = Promise.resolve();
  /** Start of the window the last change was made in; a later window has not been touched. */
  #changedIn = -1;

  constructor(
    id: string,
    limit: number,
    windowMs: number,
    now: () => number,
    store: Store<unknown> | undefined,
    onClose: (window: LocalWindow, last: WindowRecord | undefined) => void,
  ) {
    this.id = id;
    this.limit = limit;
    this.windowMs = windowMs;
    this.now = now;
    this.store = store;
    this.onClose = onClose;
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
    this.#changedIn = record.windowStart;
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
    this.#changedIn = this.#currentWindowStart();
    if (taken) await this.#persist();
    return taken;
  }

  async charge(amount: number): Promise<void> {
    await this.#limiter.incrementReservoir(-amount);
    this.#changedIn = this.#currentWindowStart();
    await this.#persist();
  }

  async refund(amount: number): Promise<void> {
    const left = (await this.#limiter.currentReservoir()) ?? this.limit;
    const back = Math.min(amount, this.limit - left);
    if (back > 0) await this.#limiter.incrementReservoir(back);
    this.#changedIn = this.#currentWindowStart();
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

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    clearTimeout(this.#rollover);
    await this.#writes;
    const { used, resetsAt } = await this.usage();
    await this.#limiter.disconnect();
    // Bottleneck refills on a 250 ms heartbeat, so right after a window ends the reservoir may still hold
    // the old balance: a window nobody changed anything in is simply fresh.
    const untouched = resetsAt - this.windowMs !== this.#changedIn;
    const last =
      untouched || used === 0 || resetsAt <= this.now()
        ? undefined
        : { windowStart: resetsAt - this.windowMs, used };
    this.onClose(this, last);
  }

  /** Bottleneck refilled on its own heartbeat; follow it forward without asking (it has no API for this). */
  #currentWindowStart(): number {
    if (this.#refreshes) {
      const elapsed = this.now() - this.#windowStart;
      if (elapsed >= this.windowMs) this.#windowStart += Math.floor(elapsed / this.windowMs) * this.windowMs;
    }
    return this.#windowStart;
  }

  /**
   * Writes one at a time, each reading the balance when its turn comes: concurrent changes could
   * otherwise land out of order and leave an older balance in the store, which a reopened (or
   * restarted) counter would then trust. Resolves once the write covering this change is done.
   */
  #persist(): Promise<void> {
    const store = this.store;
    if (!store) return Promise.resolve();
    const write = this.#writes.then(async () => {
      const { used, resetsAt } = await this.usage();
      const ttl = resetsAt - this.now();
      if (ttl > 0) await store.set(this.id, { windowStart: resetsAt - this.windowMs, used }, ttl);
    });
    this.#writes = write.catch(() => {});
    return write;
  }
}
