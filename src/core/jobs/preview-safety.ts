import type { EngineContext, LiveJob } from './engine-context.ts';
import { notify } from './job-lifecycle.ts';
import { isTerminal, type JobRecord } from './types.ts';

/** Previews being blurred, by job: a newer preview arriving meanwhile is dropped, not queued. */
const blurring = new WeakMap<LiveJob, true>();

/**
 * A live preview, as the place's safety policy allows it: shown where an unsafe final image would be
 * posted anyway, blurred where it would be spoilered or blurred, dropped where it would be blocked (and
 * while the policy is still being read). Without a safety stage every preview is shown.
 */
export function admitPreview(
  ctx: EngineContext,
  job: JobRecord,
  live: LiveJob,
  preview: { mime: string; data: Uint8Array },
): void {
  const screen = ctx.o.safety;
  const mode = screen ? screen.previewMode(job) : 'allowed';
  if (mode === 'allowed') {
    // Kept until an update carrying it goes out: the progress event that follows each preview would
    // otherwise replace it in the pacer, and front ends would never see a preview.
    live.preview = preview;
    notify(ctx, job);
    return;
  }
  if (mode !== 'blurred' || !screen || blurring.has(live)) return;
  blurring.set(live, true);
  ctx.track(
    screen
      .blurPreview(preview)
      .then((blurred) => {
        if (!blurred || ctx.closed || isTerminal(job.state) || ctx.live.get(job.id) !== live) return;
        live.preview = blurred;
        notify(ctx, job);
      })
      .finally(() => blurring.delete(live)),
  );
}
