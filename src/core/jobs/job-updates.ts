import { type Clock, sleep } from './engine-clock.ts';
import type { EngineLog, JobEngineHooks } from './engine-options.ts';
import type { FrontEnd } from './ports.ts';
import { isTerminal, type JobRecord, type JobState, type JobUpdate } from './types.ts';
import { UpdatePacer } from './update-pacer.ts';

interface Final {
  promise: Promise<boolean>;
  resolve(ok: boolean): void;
  settled: boolean;
}

/** Attempts to show a job's end to its owner (about 30 s in all) before it is left for a later start. */
const FINAL_ATTEMPTS = 6;

export type UpdateListener = (u: JobUpdate) => void;
export type TransitionListener = (job: JobRecord, from: JobState | undefined) => void;

/**
 * Who hears about jobs: every persisted transition at once, and paced updates to the job's front end
 * and to listeners. Pacing follows the front end's declared interval, per its update target.
 */
export class JobUpdates {
  readonly #frontEnds: ReadonlyMap<string, FrontEnd>;
  readonly #defaultIntervalMs: number;
  readonly #hooks: JobEngineHooks | undefined;
  readonly #log: EngineLog | undefined;
  readonly #sent: (u: JobUpdate) => void;
  readonly #pacer: UpdatePacer<JobUpdate>;
  readonly #listeners = new Map<string, Set<UpdateListener>>();
  readonly #allListeners = new Set<UpdateListener>();
  readonly #transitionListeners = new Set<TransitionListener>();
  /** Jobs whose terminal update is on its way: settled once the front end took it (true) or gave up. */
  readonly #finals = new Map<string, Final>();
  readonly #sending = new Set<string>();
  /** job → the state of its last update queued (to see when it starts running). */
  readonly #states = new Map<string, JobState>();
  readonly #clock: Clock;

  constructor(o: {
    frontEnds: ReadonlyMap<string, FrontEnd>;
    defaultIntervalMs: number;
    clock: Clock;
    hooks?: JobEngineHooks;
    log?: EngineLog;
    /** Runs after an update went out (the engine forgets the preview it carried). */
    sent: (u: JobUpdate) => void;
  }) {
    this.#frontEnds = o.frontEnds;
    this.#defaultIntervalMs = o.defaultIntervalMs;
    this.#hooks = o.hooks;
    this.#log = o.log;
    this.#sent = o.sent;
    this.#clock = o.clock;
    this.#pacer = new UpdatePacer((u) => this.#publish(u), o.clock);
  }

  onUpdate(listener: UpdateListener): () => void {
    this.#allListeners.add(listener);
    return () => this.#allListeners.delete(listener);
  }

  onTransition(listener: TransitionListener): () => void {
    this.#transitionListeners.add(listener);
    return () => this.#transitionListeners.delete(listener);
  }

  subscribe(jobId: string, listener: UpdateListener): () => void {
    let set = this.#listeners.get(jobId);
    if (!set) {
      set = new Set();
      this.#listeners.set(jobId, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  /** A persisted state change, told uncoalesced. */
  transitioned(job: JobRecord, from: JobState | undefined): void {
    this.#hooks?.onTransition?.(job, from);
    for (const l of this.#transitionListeners) l(job, from);
  }

  /** Queues an update; a terminal one is the job's last. */
  send(update: JobUpdate): void {
    const { job } = update;
    const fe = this.frontEndOf(job);
    const target = `${job.delivery?.platform ?? 'none'}:${fe?.updateTarget?.(job) ?? `job:${job.id}`}`;
    const interval = fe?.updateIntervalMs?.(job) ?? this.#defaultIntervalMs;
    // A job that started is news that need not wait for the job's interval (only for its target's).
    const started = job.state === 'running' && this.#states.get(job.id) !== 'running';
    if (isTerminal(job.state)) {
      this.#states.delete(job.id);
      this.#finalOf(job.id);
      // A success's result is already shown (delivered before this update): its end edits nothing.
      const sent = this.#pacer.final(target, interval, job.id, update, job.state === 'succeeded');
      if (sent !== 'queued') this.#settleFinal(job.id, sent === 'ended');
    } else {
      this.#states.set(job.id, job.state);
      this.#pacer.push(target, interval, job.id, update, started);
    }
  }

  /**
   * Whether the job's terminal update reached its front end: true once `update` resolved (retried with
   * backoff while it throws), false when it kept failing. A job whose end its owner has not seen is not
   * finished: the engine sends that update again after a restart.
   */
  finalDelivered(jobId: string): Promise<boolean> {
    const final = this.#finalOf(jobId);
    // Settled or not, it is asked for once (by the job's `finish`): then it is forgotten.
    return final.promise.finally(() => {
      if (this.#finals.get(jobId) === final) this.#finals.delete(jobId);
    });
  }

  frontEndOf(job: JobRecord): FrontEnd | undefined {
    return job.delivery ? this.#frontEnds.get(job.delivery.platform) : undefined;
  }

  /** Sends the pending final updates and stops. */
  close(): void {
    this.#pacer.close();
    // A final the pacer dropped (its job ended twice) or that never went out is not confirmed.
    for (const [id, final] of this.#finals)
      if (!this.#sending.has(id) && !final.settled) this.#settleFinal(id, false);
  }

  #publish(update: JobUpdate): void {
    this.#sent(update);
    for (const l of this.#allListeners) l(update);
    for (const l of this.#listeners.get(update.job.id) ?? []) l(update);
    const fe = this.frontEndOf(update.job);
    const terminal = isTerminal(update.job.state);
    if (fe && terminal) void this.#sendFinal(fe, update);
    else if (fe) {
      Promise.resolve()
        .then(() => fe.update(update))
        .catch((error) =>
          this.#log?.warn({ job: update.job.id, err: String(error) }, 'front end update failed'),
        );
    } else if (terminal) this.#settleFinal(update.job.id, !update.job.delivery);
    if (terminal) this.#listeners.delete(update.job.id);
  }

  async #sendFinal(fe: FrontEnd, update: JobUpdate): Promise<void> {
    this.#sending.add(update.job.id);
    for (let attempt = 0; attempt < FINAL_ATTEMPTS; attempt++) {
      try {
        await fe.update(update);
        this.#settleFinal(update.job.id, true);
        return;
      } catch (error) {
        this.#log?.warn({ job: update.job.id, attempt, err: String(error) }, 'front end final update failed');
        await sleep(this.#clock, Math.min(8000, 500 * 2 ** attempt));
      }
    }
    this.#settleFinal(update.job.id, false);
  }

  #finalOf(jobId: string): Final {
    let final = this.#finals.get(jobId);
    if (!final) {
      let resolve!: (ok: boolean) => void;
      const promise = new Promise<boolean>((r) => {
        resolve = r;
      });
      final = { promise, resolve, settled: false };
      this.#finals.set(jobId, final);
    }
    return final;
  }

  #settleFinal(jobId: string, ok: boolean): void {
    this.#sending.delete(jobId);
    const final = this.#finals.get(jobId);
    if (!final || final.settled) return;
    final.settled = true;
    final.resolve(ok);
  }
}
