import { AsyncLocalStorage, createHook } from 'node:async_hooks';
import { setImmediate as tick } from 'node:timers/promises';

/**
 * Counts the timers (`setTimeout`/`setInterval`, ref'd or not) alive in this process, through async
 * hooks: `process.getActiveResourcesInfo()` leaves out unref'd ones, which Bottleneck's heartbeats are.
 */
export function timerCounter(): { live(): Promise<number>; stop(): void } {
  const timers = new Set<number>();
  const hook = createHook({
    init(id, type) {
      if (type === 'Timeout') timers.add(id);
    },
    destroy(id) {
      timers.delete(id);
    },
  }).enable();
  return {
    async live() {
      // Destroy hooks are emitted in batches after the current callbacks; let them run first.
      await tick();
      await tick();
      return timers.size;
    },
    stop: () => hook.disable(),
  };
}

/**
 * Counts the timers alive that were created inside `run(fn)`, or by anything it started (async
 * context follows callbacks and promises): other code sharing the process (other test files under
 * `--test-isolation=none`) neither adds to the count nor takes from it.
 */
export function contextTimerCounter(): {
  run<T>(fn: () => Promise<T>): Promise<T>;
  live(): Promise<number>;
  stop(): void;
} {
  const inside = new AsyncLocalStorage<true>();
  const timers = new Set<number>();
  const hook = createHook({
    init(id, type) {
      if (type === 'Timeout' && inside.getStore()) timers.add(id);
    },
    destroy(id) {
      timers.delete(id);
    },
  }).enable();
  return {
    run: (fn) => inside.run(true, fn),
    async live() {
      await tick();
      await tick();
      return timers.size;
    },
    stop: () => hook.disable(),
  };
}
