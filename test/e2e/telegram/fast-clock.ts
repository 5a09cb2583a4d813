import type { Clock, ClockTimer } from '#shared/clock.ts';

/**
 * A clock whose time runs `speed` times faster than real time, its timers scaled to match, shared by
 * the app and the fake Bot API in the Telegram end-to-end tests: a group's 3 s edit pacing takes
 * 3000 / speed real ms, and both sides measure it in this clock's time, never in wall time.
 * A timer may fire a little early in this time (Node rounds real timers); the pacer and the edit lanes
 * check the time again when they wake, so what they space stays spaced.
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
