import type { JobResult, ResultFile } from '../jobs/ports.ts';
import type { Metrics } from '../metrics.ts';
import { type SafetyAuditRecord, safetyAuditRecord } from './audit.ts';
import { type BlurredImage, blurredPreview } from './blur.ts';
import type { SafetyClassifier } from './classifier.ts';
import { decide, type PlaceSafety, type SafetyAction, type UnsafeRule, unsafeRule } from './policy.ts';
import type { SafetyVerdict } from './scores.ts';

export interface SafetyStageDeps {
  classifier: SafetyClassifier;
  metrics?: Pick<Metrics, 'safetyClassified' | 'safetyActions' | 'safetyClassifySeconds'>;
  /** Where decisions go (the audit log). */
  audit?: (record: SafetyAuditRecord) => Promise<void> | void;
  /** An audit write failed: reported here (to a log), never a reason to hold the image back. */
  onAuditError?: (error: unknown, record: SafetyAuditRecord) => void;
  now?: () => number;
}

/** One result file with its decision. */
export interface ScreenedFile {
  /** Index into `result.files` (the audit record's `output`). */
  index: number;
  file: ResultFile;
  /** Absent for files nobody looks at (audio, plain files). */
  verdict?: SafetyVerdict;
  rule: UnsafeRule;
  action: SafetyAction;
  /** With `blur`: the blurred stand-in to post in the file's place. */
  blurred?: BlurredImage;
}

/** Files a person sees: images and videos, whatever node made them. */
export const isVisual = (f: ResultFile): boolean =>
  f.kind === 'image' || f.kind === 'video' || f.mime.startsWith('image/') || f.mime.startsWith('video/');

/**
 * The safety stage between "outputs fetched" and "delivered": classifies every visual file (all at
 * once; the pool queues them), decides with the place's policy, makes the blurred stand-ins, and records
 * each decision. A video gets the `unclassifiable` rule instead of a blur (see `decide`); an image that
 * cannot be blurred after all is blocked. Never throws for a classifier problem: that is an `unknown`
 * verdict.
 */
export async function screenResult(
  deps: SafetyStageDeps,
  input: {
    jobId: string;
    result: JobResult;
    place: PlaceSafety;
    where: { platform: string; communityId?: string; channelId?: string };
  },
): Promise<ScreenedFile[]> {
  const { place } = input;
  const now = deps.now ?? Date.now;
  return Promise.all(
    input.result.files.map(async (file, index): Promise<ScreenedFile> => {
      if (!place.enabled || !isVisual(file)) return { index, file, rule: 'none', action: 'allow' };
      const started = performance.now();
      const verdict = await deps.classifier.classify(file.bytes, file.mime);
      const latencyMs = performance.now() - started;
      const rule = unsafeRule(verdict, place.thresholds, place.unknown);
      let action = decide(verdict, place);
      let blurred: BlurredImage | undefined;
      if (action === 'blur') {
        blurred = await blurredPreview(file.bytes).catch(() => undefined);
        if (!blurred) action = 'block';
      }
      deps.metrics?.safetyClassified.inc({ verdict: verdict.kind === 'scored' ? 'scored' : verdict.reason });
      deps.metrics?.safetyClassifySeconds.observe(latencyMs / 1000);
      deps.metrics?.safetyActions.inc({ action });
      const record = safetyAuditRecord({
        at: now(),
        jobId: input.jobId,
        output: index,
        filename: file.filename,
        verdict,
        rule,
        action,
        place,
        where: input.where,
        latencyMs,
      });
      try {
        await deps.audit?.(record);
      } catch (error) {
        deps.onAuditError?.(error, record);
      }
      return { index, file, verdict, rule, action, ...(blurred ? { blurred } : {}) };
    }),
  );
}
