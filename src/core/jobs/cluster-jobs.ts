/** A waiting job as the shared queue keeps it: enough to choose it fairly without loading it. */
export interface QueueEntry {
  id: string;
  /** The owner's quota key: owners take turns. */
  owner: string;
  priority: number;
  /** The front end that presents it (`''` none): only a process running that front end takes it. */
  platform: string;
  /** Backends known not to be able to run it (by name); others may (a process may know others). */
  incapable: string[];
  /** Backends it was lost on, avoided when there is another. */
  avoid: string[];
  queuedAt: number;
}

/** What the shared queue tells the engine of this process. */
export interface SharedEvents {
  /** A job was queued or a slot freed somewhere: this process may be able to start one. */
  changed(): void;
  /** The job left the queue for another process (taken, or taken over), or was removed (`by` empty). */
  taken(jobId: string, by: string): void;
  /** This process no longer holds the job (another took it over): stop handling it, write nothing. */
  leaseLost(jobId: string): void;
  /** Someone asked to cancel the job, in any process. */
  cancelRequested(jobId: string): void;
  /** A front end recorded where it shows the job, in any process. */
  deliveryPatched(jobId: string): void;
  /** A taken job nobody handles (its process died or let go of it): claim it if it can be presented here. */
  orphan(jobId: string, from: string, platform: string): void;
}

/** One backend this process could dispatch to now, as the queue weighs them against every process's load. */
export interface BackendOffer {
  name: string;
  /** Jobs it takes at once (running and queued on ComfyUI). */
  capacity: number;
  weight: number;
}

/**
 * The queue and the running jobs shared by every process on one Redis: any process with an idle capable
 * backend takes the next job in fair order; a job it took is leased to it while it lives, and a job whose
 * lease ran out (its process died) is claimed by another. Local mode has none of this (`JobQueue`).
 */
export interface SharedJobs {
  /** This process's name among the others (unique while it lives). */
  readonly instanceId: string;
  start(events: SharedEvents): Promise<void>;
  /** Queues a job (no-op when it is queued, taken or finished already). */
  enqueue(entry: QueueEntry): Promise<void>;
  /** Takes a waiting job out of the queue; true when this call did (a take elsewhere loses to it, or wins). */
  remove(jobId: string): Promise<boolean>;
  /** Takes the next fair job this process can present and run on one of `backends`; leased to it. */
  takeNext(platforms: readonly string[], backends: readonly BackendOffer[]): Promise<TakenJob | undefined>;
  /** Takes that waiting job onto that backend (an overflow backend its wait calls for), if it still fits. */
  takeJob?(platforms: readonly string[], jobId: string, backend: BackendOffer): Promise<TakenJob | undefined>;
  /** The jobs on each of these backends, from every process (their load, for wait estimates). */
  backendJobs?(backends: readonly string[]): Promise<Map<string, string[]>>;
  /** A job this process holds waits again (a retry): false when it no longer held it. */
  requeue(entry: QueueEntry): Promise<boolean>;
  /** Claims a taken job nobody holds; true when this process holds it now. */
  claim(jobId: string): Promise<boolean>;
  /** Whether this process holds the job's lease (as of the last renewal). */
  holds(jobId: string): boolean;
  /**
   * Renews the job's lease now, one round trip: true while this process holds it. Waits while Redis is
   * away, so nothing irreversible (a delivery) starts when its record could not be written after.
   */
  confirmHeld(jobId: string): Promise<boolean>;
  /** The job (taken) now runs on `backend`, or on none. */
  occupy(jobId: string, backend: string | undefined): Promise<void>;
  /** Lets go of a job this process cannot finish (no front end for it, shutting down): another claims it. */
  handOff(jobId: string): Promise<void>;
  /** The job ended and its owner was told: out of every structure. */
  finish(jobId: string): Promise<void>;
  requestCancel(jobId: string): Promise<void>;
  isCancelRequested(jobId: string): Promise<boolean>;
  /** Records delivery fields (a status message id) for whichever process handles the job. */
  patchDelivery(jobId: string, patch: Record<string, unknown>): Promise<void>;
  deliveryPatch(jobId: string): Promise<Record<string, unknown> | undefined>;
  /** Of `ids`: those neither waiting, taken nor finished in the queue (lost between two writes). */
  unknown(ids: readonly string[]): Promise<string[]>;
  /** Records jobs under way that the queue does not know as taken with no lease: one process claims each. */
  adoptUnknown(jobs: readonly { id: string; platform: string }[]): Promise<void>;
  /** A request a front end acknowledged before its job exists (`JobEngine.expect`). */
  expect(key: string, target: ExpectedRequest['target'], ttlMs: number): Promise<void>;
  /** The request's job exists (or it was told it was interrupted): forget it. */
  settleExpected(key: string): Promise<void>;
  /** Requests announced more than `ms` ago. */
  expectedBefore(ms: number): Promise<ExpectedRequest[]>;
  /** Waiting jobs in fair order, as last read (refreshed in the background after each change). */
  waiting(): readonly QueueEntry[];
  position(jobId: string): number | undefined;
  close(): Promise<void>;
}

export interface ExpectedRequest {
  key: string;
  target: { platform: string; [key: string]: unknown };
  at: number;
}

export interface TakenJob {
  jobId: string;
  backend: string;
}
