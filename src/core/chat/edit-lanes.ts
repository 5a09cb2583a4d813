import { type Clock, type ClockTimer, realClock, sleep } from '../jobs/engine-clock.ts';

/** What one platform call reported: done, or the platform asked to wait (HTTP 429 `retry_after`). */
export type LaneOutcome = { retryAfterMs?: number } | undefined;

interface Operation {
  run: () => Promise<LaneOutcome>;
  /** Callers waiting for this state to be shown (or replaced by a newer one). */
  done: (() => void)[];
}

interface Slot {
  busy: boolean;
  pending: Operation | undefined;
}

interface Lane {
  pausedUntil: number;
  /** Set while a 429 pause runs; it wakes the lane's slots at its end. */
  timer: ClockTimer | undefined;
  /** slot (a message) → its state. */
  slots: Map<string, Slot>;
}

/**
 * The calls that show a status message on a chat platform: one call in flight per message, the newest
 * state replacing a pending one (so a 429 never replays stale states), and a pause on 429 that every call
 * to that chat respects (`ready`). Spacing updates is not done here: the engine paces them per target.
 *
 * @example
 * lanes.submit(chatId, jobId, () => api.edit(...));
 */
export class EditLanes {
  readonly #clock: Clock;
  readonly #lanes = new Map<string, Lane>();
  #closed = false;

  constructor(clock: Clock = realClock) {
    this.#clock = clock;
  }

  /** Queues the newest call for a slot; resolves once it ran or a newer one replaced it. */
  submit(lane: string, slot: string, run: () => Promise<LaneOutcome>): Promise<void> {
    if (this.#closed) return Promise.resolve();
    const l = this.#lane(lane);
    let s = l.slots.get(slot);
    if (!s) {
      s = { busy: false, pending: undefined };
      l.slots.set(slot, s);
    }
    const slotState = s;
    return new Promise<void>((resolve) => {
      // A replaced call counts as done: its state is superseded by this one.
      slotState.pending = { run, done: [...(slotState.pending?.done ?? []), resolve] };
      this.#run(lane, l, slot, slotState);
    });
  }

  /** Resolves when the chat is not paused by a 429 (for sends outside the lanes, e.g. results). */
  async ready(lane: string): Promise<void> {
    const l = this.#lanes.get(lane);
    while (l && !this.#closed && l.pausedUntil > this.#clock.now()) {
      await sleep(this.#clock, l.pausedUntil - this.#clock.now());
    }
  }

  /** Holds every call to the chat for `ms` (the platform's `retry_after`). */
  pause(lane: string, ms: number): void {
    if (this.#closed) return;
    const l = this.#lane(lane);
    l.pausedUntil = Math.max(l.pausedUntil, this.#clock.now() + ms);
    if (!l.timer) this.#wakeAt(lane, l);
  }

  close(): void {
    this.#closed = true;
    for (const l of this.#lanes.values()) {
      this.#clock.clearTimeout(l.timer);
      for (const s of l.slots.values()) for (const d of s.pending?.done ?? []) d();
    }
    this.#lanes.clear();
  }

  #lane(key: string): Lane {
    let l = this.#lanes.get(key);
    if (!l) {
      l = { pausedUntil: 0, timer: undefined, slots: new Map() };
      this.#lanes.set(key, l);
    }
    return l;
  }

  /** At the end of the chat's pause, runs what waited for it (again later if the pause grew). */
  #wakeAt(key: string, l: Lane): void {
    l.timer = this.#clock.setTimeout(() => {
      l.timer = undefined;
      if (this.#closed) return;
      if (l.pausedUntil > this.#clock.now()) {
        this.#wakeAt(key, l);
        return;
      }
      for (const [slot, s] of l.slots) this.#run(key, l, slot, s);
      this.#forgetIfIdle(key, l);
    }, l.pausedUntil - this.#clock.now());
  }

  #run(key: string, l: Lane, slot: string, s: Slot): void {
    if (s.busy || !s.pending || this.#closed || l.pausedUntil > this.#clock.now()) return;
    const op = s.pending;
    s.pending = undefined;
    s.busy = true;
    void op
      .run()
      .catch(() => undefined)
      .then((outcome) => {
        s.busy = false;
        if (outcome?.retryAfterMs !== undefined && !this.#closed) {
          this.pause(key, outcome.retryAfterMs);
          // Retry with the newest state: a newer call for the slot wins over this one.
          s.pending = s.pending ? { ...s.pending, done: [...op.done, ...s.pending.done] } : op;
        } else {
          for (const d of op.done) d();
        }
        if (s.pending) this.#run(key, l, slot, s);
        else l.slots.delete(slot);
        this.#forgetIfIdle(key, l);
      });
  }

  /** A chat with no calls is forgotten once its pause is over (the pause must outlive the calls). */
  #forgetIfIdle(key: string, l: Lane): void {
    if (l.slots.size === 0 && !l.timer && this.#lanes.get(key) === l) this.#lanes.delete(key);
  }
}
