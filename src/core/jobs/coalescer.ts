/**
 * Latest-wins coalescing: at most one delivery per interval; an update that arrives in between replaces
 * the pending one; a final update is delivered at once (after any pending one is dropped), and nothing
 * is delivered after it.
 */
export class Coalescer<T> {
  readonly #intervalMs: number;
  readonly #deliver: (value: T) => void;
  #pending: { value: T } | undefined;
  #timer: NodeJS.Timeout | undefined;
  #lastAt = Number.NEGATIVE_INFINITY;
  #closed = false;

  constructor(intervalMs: number, deliver: (value: T) => void) {
    this.#intervalMs = intervalMs;
    this.#deliver = deliver;
  }

  push(value: T): void {
    if (this.#closed) return;
    const wait = this.#lastAt + this.#intervalMs - Date.now();
    if (wait <= 0 && !this.#timer) {
      this.#emit(value);
      return;
    }
    this.#pending = { value };
    if (!this.#timer) {
      this.#timer = setTimeout(
        () => {
          this.#timer = undefined;
          const p = this.#pending;
          this.#pending = undefined;
          if (p && !this.#closed) this.#emit(p.value);
        },
        Math.max(0, wait),
      );
    }
  }

  /** Delivers `value` now and closes: the final state is never delayed or dropped. */
  final(value: T): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending = undefined;
    this.#deliver(value);
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  #emit(value: T): void {
    this.#lastAt = Date.now();
    this.#deliver(value);
  }
}
