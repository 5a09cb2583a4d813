/**
 * Controllable clock for the fake Telegram Bot API. Message dates, edit timestamps,
 * the callback-answer deadline, flood windows and retry_after all read it.
 *
 * - `mode: 'real'` (default): real time plus whatever `advance()` added.
 * - `mode: 'manual'`: time only moves through `advance()`/`set()`.
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

export type ClockMode = 'real' | 'manual';

export function createClock(opts: { mode?: ClockMode; start?: number } = {}): FakeClock {
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
