import type { Clock } from '#shared/clock.ts';

/**
 * Controllable clock for the fake Discord. Every time-based rule (3 s initial
 * response, 15 min token lifetime, edit rate, timestamps, snowflakes) reads it.
 *
 * - `mode: 'real'` (default): real time plus whatever `advance()` added, so the
 *   3-second rule also fires for a genuinely slow bot.
 * - `mode: 'manual'`: time only moves through `advance()`/`set()`.
 * - `source`: in 'real' mode, time comes from this clock (plus `advance()`), and so do the fake's own
 *   timers: the app under test and the fake then measure edits, deadlines and tokens in one time
 *   (a test clock that runs faster than real time).
 */
export interface FakeClock {
  now(): number;
  advance(ms: number): void;
  set(epochMs: number): void;
  /** Called after every `advance()`/`set()`; returns an unsubscribe function. */
  onChange(listener: () => void): () => void;
  /** Runs `callback` once `ms` of this clock's time passed (in real mode); returns its cancel. */
  after(ms: number, callback: () => void): () => void;
  readonly mode: ClockMode;
}

export type ClockMode = 'real' | 'manual';

export function createClock(opts: { mode?: ClockMode; start?: number; source?: Clock } = {}): FakeClock {
  const mode = opts.mode ?? 'real';
  const { source } = opts;
  const realNow = source ? () => source.now() : () => Date.now();
  const base = opts.start ?? realNow();
  const realStart = realNow();
  let offset = 0;
  const listeners = new Set<() => void>();
  const notify = (): void => {
    for (const l of listeners) l();
  };
  const raw = (): number => (mode === 'real' ? base + (realNow() - realStart) : base);
  return {
    mode,
    now: () => raw() + offset,
    advance(ms: number) {
      if (!(ms >= 0)) throw new RangeError('clock.advance(ms) needs ms >= 0');
      offset += ms;
      notify();
    },
    set(epochMs: number) {
      offset = epochMs - raw();
      notify();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    after(ms, callback) {
      if (source) {
        const timer = source.setTimeout(callback, ms);
        timer.unref?.();
        return () => source.clearTimeout(timer);
      }
      const timer = setTimeout(callback, ms);
      timer.unref();
      return () => clearTimeout(timer);
    },
  };
}
