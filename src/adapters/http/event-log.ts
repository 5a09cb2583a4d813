/** One server-sent event, numbered per job so a client can resume with `Last-Event-ID`. */
export interface JobEvent {
  id: number;
  event: 'status' | 'progress' | 'preview' | 'output' | 'log';
  data: Record<string, unknown>;
}

interface Log {
  events: JobEvent[];
  next: number;
  listeners: Set<(e: JobEvent) => void>;
  terminal: boolean;
}

const MAX_EVENTS = 1000;

/**
 * Per-job event history for SSE: what the front end published, kept (bounded) while the job runs and a
 * while after, so reconnecting streams get exactly what they missed.
 */
export class EventLog {
  readonly #logs = new Map<string, Log>();
  readonly #retainMs: number;

  constructor(retainMs = 10 * 60_000) {
    this.#retainMs = retainMs;
  }

  #log(jobId: string): Log {
    const found = this.#logs.get(jobId);
    if (found) return found;
    const log: Log = { events: [], next: 1, listeners: new Set(), terminal: false };
    this.#logs.set(jobId, log);
    return log;
  }

  has(jobId: string): boolean {
    return this.#logs.has(jobId);
  }

  append(jobId: string, event: JobEvent['event'], data: Record<string, unknown>, terminal = false): void {
    const log = this.#log(jobId);
    if (log.terminal) return;
    const e: JobEvent = { id: log.next++, event, data };
    log.events.push(e);
    if (log.events.length > MAX_EVENTS) {
      const drop = log.events.findIndex((x) => x.event === 'preview' || x.event === 'progress');
      log.events.splice(Math.max(drop, 0), 1);
    }
    for (const l of log.listeners) l(e);
    if (terminal) {
      log.terminal = true;
      log.listeners.clear();
      setTimeout(() => this.#logs.delete(jobId), this.#retainMs).unref();
    }
  }

  latest(jobId: string, event: JobEvent['event']): JobEvent | undefined {
    return this.#logs.get(jobId)?.events.findLast((e) => e.event === event);
  }

  /**
   * What a (re)connecting client should get first: every event after `lastId`, or, on a fresh connection,
   * the status and output events plus the newest progress (older progress and previews are stale).
   */
  replay(jobId: string, lastId?: number): JobEvent[] {
    const events = this.#logs.get(jobId)?.events ?? [];
    if (lastId !== undefined && (events[0]?.id ?? 1) <= lastId + 1)
      return events.filter((e) => e.id > lastId);
    const progress = events.findLast((e) => e.event === 'progress');
    return events.filter((e) => e.event === 'status' || e.event === 'output' || e === progress);
  }

  isTerminal(jobId: string): boolean {
    return this.#logs.get(jobId)?.terminal ?? false;
  }

  /** Live events after now; the returned function unsubscribes. */
  listen(jobId: string, listener: (e: JobEvent) => void): () => void {
    const log = this.#log(jobId);
    log.listeners.add(listener);
    return () => log.listeners.delete(listener);
  }
}
