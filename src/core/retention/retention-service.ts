import type { Logger } from '../logger.ts';
import type { Registry } from 'prom-client';
import { retentionFailed, retentionMetrics } from './retention-metrics.ts';
import {
  type RetentionDeps,
  type RetentionReport,
  type RetentionSettings,
  runRetention,
} from './retention-run.ts';

export interface RetentionServiceOptions {
  deps: RetentionDeps;
  settings: RetentionSettings;
  /** Between two periodic runs; 0: none (only `run()`). */
  intervalMs: number;
  /** The first periodic run comes this long after `start` (default one minute). */
  firstRunMs?: number;
  /** This process's name: with several processes on one store, one of them runs per interval. */
  holder: string;
  registry?: Registry;
  log?: Logger;
}

/** Runs retention now and then, one run at a time, logging and counting each. */
export class RetentionService {
  readonly #o: RetentionServiceOptions;
  readonly #report: ((r: RetentionReport) => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<RetentionReport | undefined> | undefined;
  #closed = false;

  constructor(options: RetentionServiceOptions) {
    this.#o = options;
    this.#report = options.registry ? retentionMetrics(options.registry) : undefined;
  }

  start(): void {
    if (this.#o.intervalMs <= 0 || this.#closed) return;
    this.#schedule(this.#o.firstRunMs ?? 60_000);
  }

  /** One run now (a run already under way is waited for instead); undefined if it failed (logged). */
  run(): Promise<RetentionReport | undefined> {
    this.#running ??= this.#runOnce().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** Stops the schedule and waits for a run under way. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  #schedule(ms: number): void {
    this.#timer = setTimeout(async () => {
      // Several processes on one store: the first to claim this interval runs it.
      const claim = this.#o.deps.storage.claim('retention:run', this.#o.holder, this.#o.intervalMs * 0.9);
      const holder = await claim.catch(() => this.#o.holder);
      if (holder === undefined || holder === this.#o.holder) await this.run();
      if (!this.#closed) this.#schedule(this.#o.intervalMs);
    }, ms);
    this.#timer.unref();
  }

  async #runOnce(): Promise<RetentionReport | undefined> {
    const log = this.#o.log;
    const started = Date.now();
    try {
      const report = await runRetention(this.#o.deps, this.#o.settings);
      this.#report?.(report);
      log?.info({ ...report, ms: Date.now() - started }, 'retention run finished');
      return report;
    } catch (error) {
      if (this.#o.registry) retentionFailed(this.#o.registry);
      log?.error({ err: String(error) }, 'retention run failed; the next one tries again');
      return undefined;
    }
  }
}
