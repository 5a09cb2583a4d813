import { backgroundTimeout, type Clock, type ClockTimer, repeat } from './clock.ts';
import type { PromptSettler } from './settle.ts';
import type { TrackedPrompt } from './tracked-prompt.ts';

/** `executing {node: null}` normally follows the run's last message at once; this long without it, we look. */
const FINISH_FALLBACK_MS = 1500;

export interface PromptWatchdogOptions {
  clock: Clock;
  settler: PromptSettler;
  /** Every prompt the client is watching. */
  prompts: () => TrackedPrompt[];
  /** With no event for a prompt for this long, its state is read over HTTP instead. */
  idleEventMs: number;
  /** Reconciling on queue changes happens at most this often. */
  reconcileThrottleMs: number;
}

/**
 * When to read prompts' state over HTTP because the socket may not tell us: after a silence, after the
 * queue changed (throttled), and shortly after a run's last message in case its final one went missing.
 */
export class PromptWatchdog {
  readonly #options: PromptWatchdogOptions;
  readonly #clock: Clock;
  #stopIdleChecks: (() => void) | undefined;
  #reconcileTimer: ClockTimer | undefined;
  #lastReconcile = 0;
  #stopped = false;

  constructor(options: PromptWatchdogOptions) {
    this.#options = options;
    this.#clock = options.clock;
  }

  /** Starts looking for silent prompts (idempotent). */
  start(): void {
    if (this.#stopIdleChecks) return;
    const idle = this.#options.idleEventMs;
    this.#stopIdleChecks = repeat(this.#clock, Math.max(100, Math.min(1000, idle / 3)), () =>
      this.#checkIdle(idle),
    );
  }

  stop(): void {
    this.#stopped = true;
    this.#stopIdleChecks?.();
    this.#clock.clearTimeout(this.#reconcileTimer);
  }

  /** Reconciles every watched prompt now, with one read of the queue. */
  reconcileAll(): Promise<void> {
    this.#lastReconcile = this.#clock.now();
    return this.#options.settler.reconcile(this.#options.prompts());
  }

  /** The queue changed: reconcile soon, at most once per throttle period. */
  queueChanged(): void {
    if (this.#stopped || this.#reconcileTimer || this.#options.prompts().length === 0) return;
    const wait = Math.max(0, this.#lastReconcile + this.#options.reconcileThrottleMs - this.#clock.now());
    this.#reconcileTimer = backgroundTimeout(
      this.#clock,
      () => {
        this.#reconcileTimer = undefined;
        void this.reconcileAll();
      },
      wait,
    );
  }

  /** The run sent its last message: settle it from history if the final `executing` does not. */
  finishSoon(tracked: TrackedPrompt): void {
    backgroundTimeout(
      this.#clock,
      () => {
        if (!tracked.settled) void this.#options.settler.settleFinished(tracked);
      },
      FINISH_FALLBACK_MS,
    );
  }

  #checkIdle(idleMs: number): void {
    if (this.#stopped) return;
    const now = this.#clock.now();
    for (const t of this.#options.prompts()) {
      if (t.submitting || t.settled || now - t.lastEventAt < idleMs) continue;
      t.lastEventAt = now;
      void this.#options.settler.reconcile([t]);
    }
  }
}
