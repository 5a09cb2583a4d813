import type { Clock } from '../clock.ts';
import type { V2BackendState } from './errors.ts';

/** A v2 backend's state, since when, and when the client will try it again on its own. */
export interface V2Condition {
  state: V2BackendState;
  since: number;
  /** Until then submits are refused locally (no request), so a paused account is not hammered. */
  retryAt?: number;
  /** What the service or the network said, already free of credentials. */
  detail?: string;
}

/**
 * Tracks what the service last said about taking work. The pool reads it to route around a backend
 * that is out of credits or full, doctor and metrics show it, and listeners hear every change.
 */
export class ConditionTracker {
  readonly #clock: Clock;
  readonly #listeners = new Set<(c: V2Condition) => void>();
  #current: V2Condition;

  constructor(clock: Clock) {
    this.#clock = clock;
    this.#current = { state: 'ready', since: clock.now() };
  }

  get current(): V2Condition {
    return this.#current;
  }

  /** The condition that forbids trying a submit now, if any. */
  blocking(): V2Condition | undefined {
    const c = this.#current;
    if (c.state === 'ready' || c.retryAt === undefined) return undefined;
    return this.#clock.now() < c.retryAt ? c : undefined;
  }

  set(state: V2BackendState, options: { retryAt?: number; detail?: string } = {}): void {
    const before = this.#current;
    if (before.state === state && before.retryAt === options.retryAt) return;
    this.#current = {
      state,
      since: before.state === state ? before.since : this.#clock.now(),
      ...(options.retryAt !== undefined ? { retryAt: options.retryAt } : {}),
      ...(options.detail !== undefined ? { detail: options.detail } : {}),
    };
    for (const l of this.#listeners) {
      try {
        l(this.#current);
      } catch {
        // A listener's failure must not change what the client does.
      }
    }
  }

  ready(): void {
    this.set('ready');
  }

  onChange(listener: (c: V2Condition) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
