import type { Clock, ClockTimer } from '#shared/clock.ts';

type Timer = ClockTimer & { at: number; seq: number; callback: () => void };

/** Time stands still until `advance`, which fires the due timers in order, each at its own time. */
export class ManualClock implements Clock {
  #now = 1_000_000;
  #seq = 0;
  readonly #timers = new Set<Timer>();

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): ClockTimer {
    const timer: Timer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, callback };
    this.#timers.add(timer);
    return timer;
  }

  clearTimeout(timer: ClockTimer | undefined): void {
    this.#timers.delete(timer as Timer);
  }

  get pendingTimers(): number {
    return this.#timers.size;
  }

  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      const due = [...this.#timers]
        .filter((t) => t.at <= target)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.#timers.delete(due);
      this.#now = due.at;
      due.callback();
    }
    this.#now = target;
  }
}

/**
 * Real time run `speed` times faster: `now()` advances `speed` ms per real ms and timers fire after
 * `ms / speed` real ms. For an engine talking to real local servers (whose own time stays real), so that
 * its backoffs and retry pauses pass quickly while their order and counts stay as in production; and
 * shared by the app and the fake Discord / Bot API in the end-to-end tests, so that pacing (a group's
 * 3 s between edits takes 3000 / speed real ms) is measured by both sides in this clock's time.
 * A timer may fire a little early in this time (Node rounds real timers); the pacers check the time
 * again when they wake, so what they space stays spaced.
 */
export function fastClock(speed: number): Clock {
  if (!(speed >= 1)) throw new RangeError('fastClock(speed) needs speed >= 1');
  const realStart = Date.now();
  return {
    now: () => realStart + (Date.now() - realStart) * speed,
    setTimeout: (callback, ms): ClockTimer => setTimeout(callback, Math.ceil(Math.max(0, ms) / speed)),
    clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout | undefined),
  };
}
