/**
 * Controllable clock for the fake Telegram Bot API. Message dates, edit timestamps,
 * the callback-answer deadline, flood windows and retry_after all read it.
 *
 * - `mode: 'real'` (default): real time plus whatever `advance()` added.
 * - `mode: 'manual'`: time only moves through `advance()`/`set()`.
 * - `source`: the app's clock (`#shared/clock.ts`), so the bot and the fake measure the same time
 *   (a test's fast or manual clock); `advance()` moves the source when it can (a ManualClock).
 */
export interface FakeClock {
  now(): number;
  /** Unix time in seconds, as Telegram's `date` fields. */
  unix(): number;
  advance(ms: number): void;
  set(epochMs: number): void;
  /** Called after every `advance()`/`set()`; returns an unsubscribe function. */
  onChange(listener: () => void): () => void;
  readonly mode: ClockMode;
}

export type ClockMode = 'real' | 'manual' | 'shared';

/** The part of an app clock the fake reads; `advance` when the source is a manual clock. */
export interface ClockSource {
  now(): number;
  advance?(ms: number): void;
}

export function createClock(
  opts: { mode?: Exclude<ClockMode, 'shared'>; start?: number; source?: ClockSource } = {},
): FakeClock {
  const { source } = opts;
  if (source) return sharedClock(source);
  const mode = opts.mode ?? 'real';
  const base = opts.start ?? Date.now();
  const realStart = Date.now();
  let offset = 0;
  const listeners = new Set<() => void>();
  const raw = (): number => (mode === 'real' ? base + (Date.now() - realStart) : base);
  const now = (): number => raw() + offset;
  const notify = (): void => {
    for (const l of listeners) l();
  };
  return {
    mode,
    now,
    unix: () => Math.floor(now() / 1000),
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
  };
}

function sharedClock(source: ClockSource): FakeClock {
  let offset = 0;
  const listeners = new Set<() => void>();
  const now = (): number => source.now() + offset;
  const notify = (): void => {
    for (const l of listeners) l();
  };
  return {
    mode: 'shared',
    now,
    unix: () => Math.floor(now() / 1000),
    advance(ms: number) {
      if (!(ms >= 0)) throw new RangeError('clock.advance(ms) needs ms >= 0');
      if (source.advance) source.advance(ms);
      else offset += ms;
      notify();
    },
    set(epochMs: number) {
      offset = epochMs - source.now();
      notify();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
