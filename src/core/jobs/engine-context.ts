import type { UserMessage } from '#shared/i18n.ts';
import type { EngineSettings } from './engine-options.ts';
import type { JobUpdates } from './job-updates.ts';
import type { FrontEnd } from './ports.ts';
import type { JobProgress, JobRecord } from './types.ts';

/** What the engine keeps in memory about a job it is handling, beside its persisted record. */
export interface LiveJob {
  progress?: JobProgress;
  cancelRequested?: boolean;
  queuedAt: number;
  /** The backend a job left after it died there; shown until the job ends. */
  movedFrom?: string;
  /** The newest preview not yet handed to the front end. */
  preview?: { mime: string; data: Uint8Array };
  /** Another process took the job over: this one stops handling it and writes nothing more. */
  abandoned?: boolean;
  /** Why it waits instead of going to an overflow backend (a cloud budget limit), told once per change. */
  note?: UserMessage;
}

/** The engine's shared state, handed to each of its parts (admission, pump, dispatch, delivery…). */
export interface EngineContext {
  readonly o: EngineSettings;
  readonly frontEnds: Map<string, FrontEnd>;
  /** Jobs this process is handling, by id (finished ones leave). */
  readonly jobs: Map<string, JobRecord>;
  readonly live: Map<string, LiveJob>;
  readonly updates: JobUpdates;
  /** Set once shutdown is over: the store is closed and job tasks stop. */
  closed: boolean;
  /** Set when shutdown begins: no job is taken or taken over any more. */
  stopping: boolean;
  /** Submits, deliveries and takes from the shared queue under way: shutdown lets them finish (within its bound). */
  readonly critical: Set<Promise<unknown>>;
  /**
   * Runs a job task in the background; its failure is logged. A `critical` one (a submit, a delivery or
   * a take from the shared queue under way) is what shutdown waits for before it lets go of the jobs.
   */
  track(task: Promise<unknown>, critical?: boolean): void;
  /** Hands waiting jobs to backends with room (queue-pump.ts). */
  pump(): void;
}

/** Raised inside job tasks still running when the engine shut down; they stop quietly. */
export class EngineClosedError extends Error {
  constructor() {
    super('the job engine has shut down');
  }
}

/** Raised inside the tasks of a job another process took over; they stop quietly. */
export class LeaseLostError extends Error {
  constructor(jobId: string) {
    super(`job ${jobId} is handled by another process now`);
  }
}

/** Whether an error only says that a job task has to stop (shutdown, takeover). */
export const isStop = (error: unknown): boolean =>
  error instanceof EngineClosedError || error instanceof LeaseLostError;

/** Runs `task` as critical work: shutdown waits for it before letting go of the jobs. */
export function critical<T>(ctx: EngineContext, task: Promise<T>): Promise<T> {
  ctx.critical.add(task);
  const done = () => ctx.critical.delete(task);
  task.then(done, done);
  return task;
}

export function liveFor(ctx: EngineContext, job: JobRecord): LiveJob {
  let live = ctx.live.get(job.id);
  if (!live) {
    live = { queuedAt: ctx.o.clock.now() };
    ctx.live.set(job.id, live);
  }
  return live;
}

/**
 * A job this process handles, or any job from the store, with the delivery fields front ends recorded
 * for it in other processes (shared mode).
 */
export async function getJob(ctx: EngineContext, id: string): Promise<JobRecord | undefined> {
  const job = ctx.jobs.get(id) ?? (await ctx.o.store.get(id));
  const patch = job?.delivery && (await ctx.o.shared?.deliveryPatch(id));
  if (job?.delivery && patch) job.delivery = { ...job.delivery, ...patch, platform: job.delivery.platform };
  return job;
}
