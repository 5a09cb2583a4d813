/**
 * Runs tasks one at a time per key (in this process), in arrival order; different keys run in parallel.
 * Keys with nothing pending are forgotten, so the map stays as small as the work in flight.
 * @example
 * const lock = new KeyedLock();
 * await lock.run(owner, async () => { const list = await read(); await write([...list, item]); });
 */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** Keys with a task queued or running (for tests and metrics). */
  get size(): number {
    return this.#tails.size;
  }
}
