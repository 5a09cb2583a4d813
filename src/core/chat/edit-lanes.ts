import { type Clock, type ClockTimer, realClock, sleep } from '../jobs/engine-clock.ts';

/** What one platform call reported: done, or the platform asked to wait (HTTP 429 `retry_after`). */
export type LaneOutcome = { retryAfterMs?: number } | undefined;

interface Operation {
  run: () => Promise<LaneOutcome>;
  /** This call starts at least this long after the lane's previous spaced call started and was answered (an edit). */
  gapMs?: number;
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
  /** Set while a spaced call waits for its gap. */
  gapTimer: ClockTimer | undefined;
  /** slot (a message) → its state. */
  slots: Map<string, Slot>;
}

/**
 * The calls that show a status message on a chat platform: one call in flight per message, the newest
 * state replacing a pending one (so a 429 never replays stale states), and a pause on 429 that every call
 * to that chat respects (`ready`). Spacing updates is the engine's (it paces them per target); a call
 * submitted with `gapMs` only keeps that spacing when it ran late (behind a slow call of its message),
 * so the platform never sees two edits of a chat closer than the engine meant.
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

  /** When each lane's last spaced call started, then when it was answered (kept after the lane is forgotten). */
  readonly #spacedAt = new Map<string, number>();

  /** Queues the newest call for a slot; resolves once it ran or a newer one replaced it. */
  submit(
    lane: string,
    slot: string,
    run: () => Promise<LaneOutcome>,
    options: { gapMs?: number } = {},
  ): Promise<void> {
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
      slotState.pending = { run, gapMs: options.gapMs, done: [...(slotState.pending?.done ?? []), resolve] };
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
      this.#clock.clearTimeout(l.gapTimer);
      for (const s of l.slots.values()) for (const d of s.pending?.done ?? []) d();
    }
    this.#lanes.clear();
  }

  #lane(key: string): Lane {
    let l = this.#lanes.get(key);
    if (!l) {
      l = { pausedUntil: 0, timer: undefined, gapTimer: undefined, slots: new Map() };
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
    if (s.pending.gapMs !== undefined) {
      const wait =
        (this.#spacedAt.get(key) ?? Number.NEGATIVE_INFINITY) + s.pending.gapMs - this.#clock.now();
      if (wait > 0) {
        this.#wakeForGap(key, l, wait);
        return;
      }
      this.#spaced(key);
    }
    const op = s.pending;
    s.pending = undefined;
    s.busy = true;
    void op
      .run()
      .catch(() => undefined)
      .then((outcome) => {
        s.busy = false;
        // Telegram counts an edit when it arrives, which only the answer proves: the gap runs from there.
        if (op.gapMs !== undefined) this.#spaced(key);
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

  #wakeForGap(key: string, l: Lane, ms: number): void {
    if (l.gapTimer) return;
    l.gapTimer = this.#clock.setTimeout(() => {
      l.gapTimer = undefined;
      if (this.#closed) return;
      for (const [slot, s] of l.slots) this.#run(key, l, slot, s);
      this.#forgetIfIdle(key, l);
    }, ms);
  }

  #spaced(key: string): void {
    this.#spacedAt.delete(key);
    this.#spacedAt.set(key, this.#clock.now());
    if (this.#spacedAt.size > 10_000) this.#spacedAt.delete(this.#spacedAt.keys().next().value as string);
  }

  /** A chat with no calls is forgotten once its pause is over (the pause must outlive the calls). */
  #forgetIfIdle(key: string, l: Lane): void {
    if (l.slots.size === 0 && !l.timer && !l.gapTimer && this.#lanes.get(key) === l) this.#lanes.delete(key);
  }
}
