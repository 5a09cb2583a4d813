/** A pending timer; `unref` exists on Node's timers and lets the process exit while one is pending. */
export interface ClockTimer {
  unref?(): unknown;
}

/**
 * Time as a component sees it: every wait, throttle, backoff, expiry and silence goes through one of
 * these, so a test can drive them with a manual clock instead of real time. The ComfyUI client, the
 * engine and the front ends all take one.
 */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): ClockTimer;
  clearTimeout(timer: ClockTimer | undefined): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout | undefined),
};

/** A timer that does not keep the process alive. */
export function backgroundTimeout(clock: Clock, callback: () => void, ms: number): ClockTimer {
  const timer = clock.setTimeout(callback, ms);
  timer.unref?.();
  return timer;
}

export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}

/** Calls `callback` every `ms` until the returned function is called; never keeps the process alive. */
export function repeat(clock: Clock, ms: number, callback: () => void): () => void {
  let timer: ClockTimer | undefined;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    timer = backgroundTimeout(clock, tick, ms);
    callback();
  };
  timer = backgroundTimeout(clock, tick, ms);
  return () => {
    stopped = true;
    clock.clearTimeout(timer);
  };
}
