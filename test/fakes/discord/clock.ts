/**
 * Controllable clock for the fake Discord. Every time-based rule (3 s initial
 * response, 15 min token lifetime, edit rate, timestamps, snowflakes) reads it.
 *
 * - `mode: 'real'` (default): real time plus whatever `advance()` added, so the
 *   3-second rule also fires for a genuinely slow bot.
 * - `mode: 'manual'`: time only moves through `advance()`/`set()`.
 */
export interface FakeClock {
  now(): number;
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
  const notify = (): void => {
    for (const l of listeners) l();
  };
  const raw = (): number => (mode === 'real' ? base + (Date.now() - realStart) : base);
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
  };
}
