import type { ComfyApi, QueueState } from './api.ts';
import { type Clock, sleep } from './clock.ts';
import { ComfyHttpError } from './errors.ts';
import type { PromptOutcome } from './events.ts';
import { type HistoryEntry, outcomeFromHistory } from './history.ts';
import type { ComfyOutput } from './outputs.ts';
import type { TrackedPrompt } from './tracked-prompt.ts';

/** History is written just after the run's last message, so a read right then may still miss it. */
const HISTORY_RETRIES = 5;
/** Error answers from `/history` (a 5xx while `/queue` works) retried with a doubling pause, then given up. */
const HISTORY_ERROR_RETRIES = 6;
const HISTORY_ERROR_FIRST_PAUSE_MS = 250;

export interface PromptSettlerOptions {
  api: Pick<ComfyApi, 'queue' | 'history'>;
  clock: Clock;
  /** A prompt whose backend stays unreachable this long is reported lost. */
  unreachableLostMs: number;
  /** First pause after `/history` answered an error; doubled at each of the retries (default 250 ms). */
  historyRetryMs?: number;
}

/**
 * Decides a prompt's state from what ComfyUI reports over HTTP, never from the socket alone: running or
 * pending in `/queue`, finished in `/history`, and lost when it is in neither.
 */
export class PromptSettler {
  readonly #api: PromptSettlerOptions['api'];
  readonly #clock: Clock;
  readonly #unreachableLostMs: number;
  readonly #historyRetryMs: number;

  constructor(options: PromptSettlerOptions) {
    this.#historyRetryMs = options.historyRetryMs ?? HISTORY_ERROR_FIRST_PAUSE_MS;
    this.#api = options.api;
    this.#clock = options.clock;
    this.#unreachableLostMs = options.unreachableLostMs;
  }

  /** Reads the queue once and brings every given prompt that is not settled up to date with it. */
  async reconcile(prompts: Iterable<TrackedPrompt>): Promise<void> {
    const watched = [...prompts].filter((t) => !t.submitting && !t.settled);
    if (watched.length === 0) return;
    const queue = await this.#readQueue(watched);
    if (!queue) return;
    await Promise.all(watched.map((t) => this.#reconcileWith(t, queue)));
  }

  /** Right after submitting: tells the prompt its place in the queue. */
  async reportPosition(tracked: TrackedPrompt): Promise<void> {
    try {
      const q = await this.#api.queue();
      if (tracked.started || tracked.settled) return;
      const index = q.pending.indexOf(tracked.promptId);
      if (q.running.includes(tracked.promptId)) tracked.markStarted();
      else if (index >= 0) tracked.emit({ type: 'queued', position: index + q.running.length });
    } catch {
      // Position is informative; the prompt itself is tracked regardless.
    }
  }

  /** After the run has ended (or should have): settles the prompt from history, retrying a few times. */
  settleFinished(tracked: TrackedPrompt): Promise<void> {
    return this.#settleFromHistory(tracked, HISTORY_RETRIES);
  }

  async #readQueue(watched: TrackedPrompt[]): Promise<QueueState | undefined> {
    try {
      const q = await this.#api.queue();
      for (const t of watched) t.unreachableSince = undefined;
      return q;
    } catch (error) {
      const now = this.#clock.now();
      for (const t of watched) {
        t.unreachableSince ??= now;
        if (now - t.unreachableSince >= this.#unreachableLostMs) {
          const reason = error instanceof Error ? error.message : String(error);
          t.finish({ type: 'lost', reason: `backend unreachable: ${reason}` });
        }
      }
      return undefined;
    }
  }

  async #reconcileWith(tracked: TrackedPrompt, queue: QueueState): Promise<void> {
    if (tracked.settled) return;
    const id = tracked.promptId;
    if (queue.running.includes(id)) {
      tracked.markStarted();
      return;
    }
    const index = queue.pending.indexOf(id);
    if (index >= 0) {
      tracked.emit({ type: 'queued', position: index + queue.running.length });
      return;
    }
    // Absent from the queue we read first: it finished before that read (history has it) or it is gone.
    await this.#settleFromHistory(tracked, 1);
  }

  /** Settles a prompt from history; with nothing there, it was deleted (if we asked) or lost. */
  async #settleFromHistory(tracked: TrackedPrompt, attempts: number): Promise<void> {
    for (let i = 0; i < attempts; i++) {
      const entry = await this.#readHistory(tracked);
      if (entry === 'unknown' || tracked.settled) return;
      if (entry) {
        const outcome = outcomeFromHistory(entry);
        if (outcome.type === 'succeeded') emitNewOutputs(tracked, outcome.outputs);
        tracked.finish(outcome);
        return;
      }
      if (i + 1 < attempts) await sleep(this.#clock, 50 * (i + 1));
    }
    if (tracked.settled) return;
    tracked.finish(outcomeWithoutHistory(tracked));
  }

  /**
   * One read of the prompt's history, retried with backoff while ComfyUI answers it with an error. An
   * unreachable backend is left to the queue reads (lost after `unreachableLostMs`): `unknown`. Errors
   * that outlast the retries settle the prompt `unreadable`: a clear end, never a prompt left unsettled.
   */
  async #readHistory(tracked: TrackedPrompt): Promise<HistoryEntry | undefined | 'unknown'> {
    for (let failures = 0; ; failures++) {
      try {
        return await this.#api.history(tracked.promptId);
      } catch (error) {
        if (!(error instanceof ComfyHttpError) || tracked.settled) return 'unknown';
        if (failures >= HISTORY_ERROR_RETRIES) {
          tracked.finish({ type: 'unreadable', reason: error.message });
          return 'unknown';
        }
        await sleep(this.#clock, this.#historyRetryMs * 2 ** failures);
      }
    }
  }
}

/** What the socket told us, when history has nothing: the run's own last message, or our cancel. */
function outcomeWithoutHistory(tracked: TrackedPrompt): PromptOutcome {
  const f = tracked.finishing;
  if (f?.kind === 'success') return { type: 'succeeded', outputs: tracked.collectedOutputs() };
  if (f?.kind === 'error') return { type: 'failed', error: f.error };
  if (f?.kind === 'interrupted') return { type: 'interrupted' };
  if (tracked.cancelRequested) return tracked.started ? { type: 'interrupted' } : { type: 'canceled' };
  return { type: 'lost', reason: 'the prompt is in neither the queue nor the history of the backend' };
}

/** Outputs history lists that no `executed` message announced (a missed message, a cached re-run). */
function emitNewOutputs(tracked: TrackedPrompt, outputs: ComfyOutput[]): void {
  for (const output of outputs) {
    if (!tracked.outputs.get(output.node)) tracked.emit({ type: 'output', output });
  }
}
