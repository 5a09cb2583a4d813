import type { JobResult } from './ports.ts';
import type { JobRecord, SafetyDecision } from './types.ts';

/** How live previews of a job are shown where it is going (see `previewMode` in core/safety). */
export type PreviewShown = 'allowed' | 'blurred' | 'off';

/**
 * The safety stage as the engine sees it (implemented by `JobSafetyStage` in core/safety): results are
 * screened between "outputs fetched" and "delivered", and previews follow the place's policy.
 */
export interface ResultScreen {
  /**
   * Sets `safety` on each visual file. Reuses `job.safety` when it covers the result (a delivery again
   * after a crash decides as the first one did); otherwise classifies and returns the decisions to store.
   */
  screen(job: JobRecord, result: JobResult): Promise<{ result: JobResult; decisions?: SafetyDecision[] }>;
  /** How previews of the job are shown; undefined while its place's policy is being read (not shown). */
  previewMode(job: JobRecord): PreviewShown | undefined;
  /** A blurred stand-in of a preview frame; undefined when it cannot be made (then it is not shown). */
  blurPreview(preview: {
    mime: string;
    data: Uint8Array;
  }): Promise<{ mime: string; data: Uint8Array } | undefined>;
}
