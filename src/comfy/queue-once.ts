import type { ComfyApi, PromptRequest } from './api.ts';
import { type Clock, sleep } from './clock.ts';
import { ComfyHttpError, ComfyUnreachableError } from './errors.ts';

/** Resubmissions of one prompt id after answers that leave it unknown whether ComfyUI queued it. */
const AMBIGUOUS_RETRIES = 3;

/** Connection errors raised before the request could reach ComfyUI: it cannot have queued anything. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Whether ComfyUI may have queued the prompt although the answer says otherwise: the connection broke
 * after the request went out, the answer timed out, or a 5xx (a proxy's 502 after ComfyUI took it).
 */
export function isAmbiguous(error: unknown): boolean {
  if (error instanceof ComfyHttpError) return error.status >= 500;
  if (!(error instanceof ComfyUnreachableError)) return false;
  const code = (error.cause as { code?: string } | undefined)?.code;
  return !code || !NEVER_SENT.has(code);
}

/** Where a prompt id is on a backend: in the queue (running or pending), in history, or nowhere. */
export async function findPrompt(
  api: Pick<ComfyApi, 'queue' | 'history'>,
  promptId: string,
): Promise<'queued' | 'finished' | 'absent'> {
  // The queue first: a prompt that leaves it is in history before it is gone from the queue's answer.
  const queue = await api.queue();
  if (queue.running.includes(promptId) || queue.pending.includes(promptId)) return 'queued';
  return (await api.history(promptId)) ? 'finished' : 'absent';
}

/**
 * POST /prompt exactly once for our prompt id: after an ambiguous failure the id is looked up in
 * `/queue` and `/history`, and submitted again (same id) only when ComfyUI does not have it. Errors that
 * say the prompt was not queued (a 400, a refused connection) and a lookup that fails are thrown.
 */
export async function queuePromptOnce(
  api: Pick<ComfyApi, 'queuePrompt' | 'queue' | 'history'>,
  request: PromptRequest,
  clock: Clock,
): Promise<{ number?: number; found?: 'queued' | 'finished' }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await api.queuePrompt(request);
    } catch (error) {
      if (!isAmbiguous(error) || attempt >= AMBIGUOUS_RETRIES) throw error;
      let where: Awaited<ReturnType<typeof findPrompt>>;
      try {
        where = await findPrompt(api, request.promptId);
      } catch {
        throw error;
      }
      if (where !== 'absent') return { found: where };
      await sleep(clock, 200 * 2 ** attempt);
    }
  }
}
