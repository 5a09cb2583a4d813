import type { ComfyJobEvent } from '../../comfy/index.ts';
import type { EngineContext } from './engine-context.ts';
import { notify, transition } from './job-lifecycle.ts';
import { admitPreview } from './preview-safety.ts';
import { isTerminal, type JobRecord } from './types.ts';

/** Turns what ComfyUI reports about a prompt into the job's state and progress updates. */
export function onComfyEvent(ctx: EngineContext, job: JobRecord, e: ComfyJobEvent): void {
  const live = ctx.live.get(job.id);
  if (!live || isTerminal(job.state)) return;
  const now = ctx.o.clock.now();
  switch (e.type) {
    case 'queued':
      notify(ctx, job, { position: e.position });
      break;
    case 'started':
      if (job.state === 'dispatched') {
        job.startedAt = now;
        ctx.track(transition(ctx, job, 'running'));
      }
      break;
    case 'executing':
      live.progress = {
        ...(live.progress ?? { fraction: 0 }),
        node: e.node,
        nodeTitle: e.title ?? e.classType,
        step: undefined,
        steps: undefined,
      };
      notify(ctx, job);
      break;
    case 'progress':
      live.progress = { ...(live.progress ?? { fraction: 0 }), step: e.value, steps: e.max };
      break;
    case 'overall': {
      const elapsed = job.startedAt ? now - job.startedAt : 0;
      const etaMs = e.fraction > 0.02 ? Math.round((elapsed / e.fraction) * (1 - e.fraction)) : undefined;
      live.progress = { ...(live.progress ?? { fraction: 0 }), fraction: e.fraction, etaMs };
      notify(ctx, job);
      break;
    }
    case 'preview':
      admitPreview(ctx, job, live, { mime: e.mime, data: e.data });
      break;
    default:
      break;
  }
}
