import { type Clock, type ClockTimer, realClock } from './engine-clock.ts';

interface Pending<T> {
  value: T;
  final: boolean;
  /** News that may not wait for the job's own interval (it started): only for its target's turn. */
  urgent?: boolean;
}

interface Target<T> {
  intervalMs: number;
  /** When the target's last counted update went out. */
  lastAt: number;
  timer: ClockTimer | undefined;
  /** job → its newest update not yet sent; insertion order gives the jobs their turns. */
  pending: Map<string, Pending<T>>;
}

/** How many ended jobs are remembered so that a late update of one is dropped. */
const ENDED_REMEMBERED = 10_000;

/**
 * The one place that paces job updates, at the interval each platform declares:
 * - per target (a chat, a message), at most one update per interval; the jobs sharing it take turns;
 * - per job, updates at least an interval apart, the newest replacing a pending one (latest wins);
 * - a job's first update goes out at once and is not counted for its target: it creates the job's
 *   message (a send, not an edit), and whoever asked sees an answer without waiting for other jobs;
 * - a job's final update waits only for its target's turn, is never dropped, and nothing of that job
 *   follows it; an urgent one (the job started) waits only for its target's turn too, so a job that
 *   starts at once does not read "waiting" for a whole interval; a final whose result is already shown
 *   (`atOnce`) goes out at once, uncounted.
 *
 * @example
 * const pacer = new UpdatePacer<JobUpdate>((u) => frontEnd.update(u));
 * pacer.push('telegram:-100123', 3000, job.id, update);
 */
export class UpdatePacer<T> {
  readonly #deliver: (value: T) => void;
  readonly #clock: Clock;
  readonly #targets = new Map<string, Target<T>>();
  /** job → when its last update went out, from its first until its final one. */
  readonly #lastSent = new Map<string, number>();
  readonly #ended = new Set<string>();
  #closed = false;

  constructor(deliver: (value: T) => void, clock: Clock = realClock) {
    this.#deliver = deliver;
    this.#clock = clock;
  }

  /** Queues `value` as the job's newest update; `urgent`: it need not wait for the job's interval. */
  push(target: string, intervalMs: number, job: string, value: T, urgent = false): void {
    this.#queue(target, intervalMs, job, { value, final: false, urgent });
  }

  /**
   * The job's last update: replaces a pending one and goes out at the target's next turn. `ended` when
   * the job's end already went out (it is not sent twice), `closed` after `close`. `atOnce`: now,
   * uncounted (the job's result is already shown: the front end has nothing to edit with it).
   */
  final(
    target: string,
    intervalMs: number,
    job: string,
    value: T,
    atOnce = false,
  ): 'queued' | 'ended' | 'closed' {
    if (this.#closed) return 'closed';
    if (this.#ended.has(job)) return 'ended';
    if (atOnce) this.#targets.get(target)?.pending.delete(job);
    this.#queue(target, intervalMs, job, { value, final: true }, atOnce);
    return 'queued';
  }

  /** Sends the pending final updates now (a job's end is never lost) and drops the rest. */
  close(): void {
    this.#closed = true;
    for (const t of this.#targets.values()) {
      this.#clock.clearTimeout(t.timer);
      for (const p of t.pending.values()) if (p.final) this.#deliver(p.value);
    }
    this.#targets.clear();
    this.#lastSent.clear();
  }

  #queue(key: string, intervalMs: number, job: string, update: Pending<T>, atOnce = false): void {
    if (this.#closed || this.#ended.has(job)) return;
    if (update.final) this.#remember(job);
    if (atOnce || !this.#lastSent.has(job)) {
      this.#send(job, update);
      return;
    }
    let target = this.#targets.get(key);
    if (!target) {
      target = { intervalMs, lastAt: Number.NEGATIVE_INFINITY, timer: undefined, pending: new Map() };
      this.#targets.set(key, target);
    }
    target.intervalMs = intervalMs;
    // `set` on a job already waiting keeps its turn; a newer update keeps the urgency of the one it replaces.
    if (target.pending.get(job)?.urgent) update.urgent = true;
    target.pending.set(job, update);
    this.#schedule(key, target);
  }

  /** Sends the next update the target and its job allow now, and wakes up when another may go. */
  #schedule(key: string, t: Target<T>): void {
    this.#clock.clearTimeout(t.timer);
    t.timer = undefined;
    const now = this.#clock.now();
    const targetFreeIn = t.lastAt + t.intervalMs - now;
    if (targetFreeIn > 0) {
      this.#wakeIn(key, t, targetFreeIn);
      return;
    }
    if (t.pending.size === 0) {
      this.#targets.delete(key);
      return;
    }
    const jobFreeIn = ([job, p]: [string, Pending<T>]) =>
      p.final || p.urgent ? 0 : (this.#lastSent.get(job) ?? Number.NEGATIVE_INFINITY) + t.intervalMs - now;
    const ready = [...t.pending].find((entry) => jobFreeIn(entry) <= 0);
    if (!ready) {
      this.#wakeIn(key, t, Math.min(...[...t.pending].map(jobFreeIn)));
      return;
    }
    const [job, update] = ready;
    t.pending.delete(job);
    t.lastAt = now;
    this.#wakeIn(key, t, t.intervalMs);
    this.#send(job, update);
  }

  #wakeIn(key: string, t: Target<T>, ms: number): void {
    t.timer = this.#clock.setTimeout(() => {
      t.timer = undefined;
      if (!this.#closed) this.#schedule(key, t);
    }, ms);
  }

  #send(job: string, update: Pending<T>): void {
    if (update.final) this.#lastSent.delete(job);
    else this.#lastSent.set(job, this.#clock.now());
    this.#deliver(update.value);
  }

  #remember(job: string): void {
    this.#ended.add(job);
    if (this.#ended.size > ENDED_REMEMBERED) this.#ended.delete(this.#ended.values().next().value as string);
  }
}
