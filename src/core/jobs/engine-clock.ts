import type { Clock, ClockTimer } from '../../comfy/index.ts';

export type { Clock, ClockTimer };

/** Real time; tests pass a manual clock instead so nothing waits for real. */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout | undefined),
};

export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}

/** Calls `callback` every `ms` until the returned function is called; never keeps the process alive. */
export function every(clock: Clock, ms: number, callback: () => void): () => void {
  let timer: ClockTimer | undefined;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    timer = clock.setTimeout(tick, ms);
    timer.unref?.();
    callback();
  };
  timer = clock.setTimeout(tick, ms);
  timer.unref?.();
  return () => {
    stopped = true;
    clock.clearTimeout(timer);
  };
}
