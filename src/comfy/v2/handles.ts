import type { Job as LowJob } from '@comfyorg/sdk/low';
import type { PromptHandle } from '../backend-client.ts';
import type { ComfyJobEvent } from '../events.ts';
import type { RemoteJob } from './remote-job.ts';

export function handleOf(job: RemoteJob): PromptHandle {
  return { promptId: job.id, done: job.tracked.done, subscribe: (l) => job.tracked.subscribe(l) };
}

export function canceledBeforeSent(localId: string, onEvent?: (e: ComfyJobEvent) => void): PromptHandle {
  onEvent?.({ type: 'canceled' });
  return { promptId: localId, done: Promise.resolve({ type: 'canceled' }), subscribe: () => () => {} };
}

/** Comfy API v2 takes only the partner-node key in `extra_data` (a closed object). */
export function partnerKeyOnly(extra: Record<string, unknown> | undefined): { api_key_comfy_org?: string } {
  const key = extra?.api_key_comfy_org;
  return typeof key === 'string' && key ? { api_key_comfy_org: key } : {};
}

/** Enough of a job for the SDK to stream and poll it by id. */
export function bareJob(id: string): LowJob {
  return {
    id,
    status: 'queued',
    created_at: '',
    started_at: null,
    completed_at: null,
    expires_at: '',
    queue_position: null,
    progress: null,
    outputs: [],
    error: null,
    urls: { self: '', events: '', cancel: '' },
  };
}
