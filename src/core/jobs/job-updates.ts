import type { Clock } from './engine-clock.ts';
import type { EngineLog, JobEngineHooks } from './engine-options.ts';
import type { FrontEnd } from './ports.ts';
import { isTerminal, type JobRecord, type JobState, type JobUpdate } from './types.ts';
import { UpdatePacer } from './update-pacer.ts';

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
    if (isTerminal(job.state)) this.#pacer.final(target, interval, job.id, update);
    else this.#pacer.push(target, interval, job.id, update);
  }

  frontEndOf(job: JobRecord): FrontEnd | undefined {
    return job.delivery ? this.#frontEnds.get(job.delivery.platform) : undefined;
  }

  /** Sends the pending final updates and stops. */
  close(): void {
    this.#pacer.close();
  }

  #publish(update: JobUpdate): void {
    this.#sent(update);
    for (const l of this.#allListeners) l(update);
    for (const l of this.#listeners.get(update.job.id) ?? []) l(update);
    const fe = this.frontEndOf(update.job);
    if (fe) {
      Promise.resolve()
        .then(() => fe.update(update))
        .catch((error) =>
          this.#log?.warn({ job: update.job.id, err: String(error) }, 'front end update failed'),
        );
    }
    if (isTerminal(update.job.state)) this.#listeners.delete(update.job.id);
  }
}
