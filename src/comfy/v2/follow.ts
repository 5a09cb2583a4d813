import type { Output } from '@comfyorg/sdk';
import type { Clock } from '../clock.ts';
import type { PromptOutcome } from '../events.ts';
import type { ComfyOutput } from '../outputs.ts';
import type { ComfyExecutionErrorInfo } from '../protocol.ts';
import { redact } from './errors.ts';
import { outputFromV2 } from './outputs.ts';
import { outputModel, type RemoteJob } from './remote-job.ts';
import { isNotFound } from './translate.ts';
import { abortableSleep, type V2Log } from './wait.ts';

export interface FollowContext {
  name: string;
  secret: string | undefined;
  clock: Clock;
  /** A job whose service stays unreachable this long is reported lost. */
  lostAfterMs: number;
  log?: V2Log;
}

/** Text outputs up to this size are read and delivered as text; larger ones as files. */
const MAX_TEXT_BYTES = 64 * 1024;
const MAX_PAUSE_MS = 5000;

/**
 * Follows one job to its end: the SDK's live event stream (which reconnects, and falls back to polling
 * when the stream is not served), then one authoritative read of the job for its outputs. A failure to
 * reach the service is waited out with backoff; a job the service no longer knows is lost.
 */
export async function followJob(ctx: FollowContext, job: RemoteJob): Promise<void> {
  const signal = job.stop.signal;
  let unreachableSince: number | undefined;
  let pauseMs = 250;
  while (!job.tracked.settled && !signal.aborted) {
    try {
      let terminal = false;
      for await (const event of job.sdk.events(signal)) {
        unreachableSince = undefined;
        if (job.apply(event)) {
          terminal = true;
          break;
        }
      }
      // The stream ended without a terminal status (a deployment that serves no SSE): poll to the end.
      if (terminal) await job.sdk.refresh(signal);
      else await job.sdk.wait(undefined, signal);
      job.tracked.finish(await outcomeOf(job, signal));
      return;
    } catch (error) {
      if (signal.aborted || job.tracked.settled) return;
      if (isNotFound(error)) {
        job.tracked.finish({ type: 'lost', reason: `${ctx.name} no longer knows job ${job.id}` });
        return;
      }
      const now = ctx.clock.now();
      unreachableSince ??= now;
      const reason = redact(error instanceof Error ? error.message : String(error), ctx.secret);
      if (now - unreachableSince >= ctx.lostAfterMs) {
        job.tracked.finish({ type: 'lost', reason: `${ctx.name} unreachable: ${reason}` });
        return;
      }
      ctx.log?.('warn', 'following a job failed; trying again', { backend: ctx.name, job: job.id, reason });
      await abortableSleep(ctx.clock, pauseMs, signal).catch(() => undefined);
      pauseMs = Math.min(pauseMs * 2, MAX_PAUSE_MS);
    }
  }
}

/** The job's terminal state on the service as our outcome. */
async function outcomeOf(job: RemoteJob, signal: AbortSignal): Promise<PromptOutcome> {
  switch (job.sdk.status) {
    case 'succeeded':
      return { type: 'succeeded', outputs: await outputsOf(job.sdk.outputs, signal) };
    case 'failed':
      return { type: 'failed', error: errorInfo(job.sdk.error) };
    case 'canceled':
      if (job.tracked.cancelRequested) return { type: 'canceled' };
      if (job.timedOut) return { type: 'failed', error: timeLimitError() };
      // Canceled by the service itself (its run-time cap) or its operator: not at our request.
      return { type: 'interrupted' };
    default:
      return {
        type: 'failed',
        error: {
          exceptionType: 'JobExpired',
          message: `The job ${job.sdk.status} on the service before it finished.`,
          traceback: [],
          blocking: true,
        },
      };
  }
}

async function outputsOf(outputs: Output[], signal: AbortSignal): Promise<ComfyOutput[]> {
  const result: ComfyOutput[] = [];
  for (const o of outputs) {
    const model = outputModel(o);
    if (model.type === 'text' && model.sizeBytes <= MAX_TEXT_BYTES) {
      const text = await o
        .toBytes({ signal, timeoutMs: 30_000 })
        .then((b) => new TextDecoder().decode(b))
        .catch(() => undefined);
      result.push(outputFromV2(model, text));
    } else result.push(outputFromV2(model));
  }
  return result;
}

type JobError = RemoteJob['sdk']['error'];

function errorInfo(e: JobError): ComfyExecutionErrorInfo {
  const traceback = (e?.traceback ?? '').split('\n').filter((l) => l.trim() !== '');
  return {
    ...(e?.node_id ? { node: e.node_id } : {}),
    ...(e?.class_type ? { nodeType: e.class_type } : {}),
    exceptionType: e?.code ?? 'JobFailed',
    message: (e?.message ?? 'The job failed on the service.').trim(),
    traceback: traceback.slice(-6).map((l) => l.trimEnd()),
    blocking: true,
  };
}

export function timeLimitError(): ComfyExecutionErrorInfo {
  return {
    exceptionType: 'TimeLimitExceeded',
    message: 'The job ran past the time limit set for this backend and was canceled.',
    traceback: [],
    blocking: true,
  };
}
