import type { FileSafety, JobResult, ResultFile } from '../jobs/ports.ts';
import type { PreviewShown, ResultScreen } from '../jobs/result-screen.ts';
import type { JobRecord, SafetyDecision } from '../jobs/types.ts';
import { blurredPreview } from './blur.ts';
import { isExemptPlatform, jobPlace } from './job-place.ts';
import { type SafetyOverrides, type SafetySettings, resolvePlaceSafety } from './place-safety.ts';
import { type PlaceSafety, previewMode } from './policy.ts';
import { isVisual, type SafetyStageDeps, type ScreenedFile, screenResult } from './screen-result.ts';

export interface JobSafetyOptions extends SafetyStageDeps {
  settings: SafetySettings;
  /** A community's overrides (what its admins set with `/admin safety`). */
  overrides(platform: string, communityId: string): Promise<SafetyOverrides | undefined>;
  onError?(error: unknown, what: string): void;
}

/** Jobs whose preview mode is remembered: enough for every job running at once, bounded. */
const REMEMBERED_JOBS = 5000;

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * The safety stage of the engine: the policy of a job's place (config defaults, the community's and
 * channel's overrides, the target's flags), screening before delivery, and the preview rule.
 */
export class JobSafetyStage implements ResultScreen {
  readonly #o: JobSafetyOptions;
  readonly #previewModes = new Map<string, PreviewShown | 'reading'>();

  constructor(options: JobSafetyOptions) {
    this.#o = options;
  }

  /** The policy in force where the job's images go. */
  async placeOf(job: JobRecord): Promise<PlaceSafety> {
    const { where, place } = jobPlace(job);
    const overrides =
      where.communityId !== undefined
        ? await this.#o.overrides(where.platform, where.communityId)
        : undefined;
    const resolved = resolvePlaceSafety(this.#o.settings, overrides, place);
    return isExemptPlatform(where.platform) ? { ...resolved, enabled: false } : resolved;
  }

  async screen(
    job: JobRecord,
    result: JobResult,
  ): Promise<{ result: JobResult; decisions?: SafetyDecision[] }> {
    const stored = storedFor(job.safety, result.files);
    if (stored) return { result: { ...result, files: await Promise.all(result.files.map(stored)) } };
    const place = await this.placeOf(job);
    const screened = await screenResult(this.#o, {
      jobId: job.id,
      result,
      place,
      where: jobPlace(job).where,
    });
    const files = screened.map((s) => (s.verdict ? { ...s.file, safety: fileSafety(s) } : s.file));
    const decisions = screened.filter((s) => s.verdict).map(decisionOf);
    return { result: { ...result, files }, ...(decisions.length > 0 ? { decisions } : {}) };
  }

  previewMode(job: JobRecord): PreviewShown | undefined {
    const known = this.#previewModes.get(job.id);
    if (known !== undefined) return known === 'reading' ? undefined : known;
    this.#remember(job.id, 'reading');
    this.placeOf(job).then(
      (place) => this.#remember(job.id, previewMode(place)),
      (error) => {
        // Unreadable overrides: previews stay off for this job (the safe side), the final image is screened.
        this.#remember(job.id, 'off');
        this.#o.onError?.(error, 'safety policy for previews');
      },
    );
    return undefined;
  }

  async blurPreview(preview: { mime: string; data: Uint8Array }) {
    const blurred = await blurredPreview(preview.data).catch(() => undefined);
    return blurred ? { mime: blurred.mime, data: blurred.bytes } : undefined;
  }

  #remember(jobId: string, mode: PreviewShown | 'reading'): void {
    this.#previewModes.delete(jobId);
    this.#previewModes.set(jobId, mode);
    if (this.#previewModes.size > REMEMBERED_JOBS)
      this.#previewModes.delete(this.#previewModes.keys().next().value as string);
  }
}

function fileSafety(s: ScreenedFile): FileSafety {
  const v = s.verdict;
  return {
    action: s.action,
    rule: s.rule,
    ...(v?.kind === 'scored'
      ? { scores: Object.fromEntries(Object.entries(v.scores).map(([k, x]) => [k, round(x)])) }
      : {}),
    ...(s.blurred ? { blurred: { bytes: s.blurred.bytes, mime: s.blurred.mime } } : {}),
  };
}

function decisionOf(s: ScreenedFile): SafetyDecision {
  const f = fileSafety(s);
  return {
    output: s.index,
    filename: s.file.filename,
    action: f.action,
    rule: f.rule,
    ...(f.scores ? { scores: f.scores } : {}),
  };
}

/**
 * The stored decisions applied to a result again, when they name every visual file (same index, same
 * file): the blurred stand-in is made again from the original (it is never stored). Undefined when they
 * do not match: the result is then screened afresh.
 */
export function storedFor(
  decisions: readonly SafetyDecision[] | undefined,
  files: readonly ResultFile[],
): ((file: ResultFile, index: number) => Promise<ResultFile>) | undefined {
  if (!decisions?.length) return undefined;
  const byOutput = new Map(decisions.map((d) => [d.output, d]));
  const matches = files.every((f, i) => !isVisual(f) || byOutput.get(i)?.filename === f.filename);
  if (!matches) return undefined;
  return async (file, index) => {
    const d = byOutput.get(index);
    if (!d || !isVisual(file)) return file;
    const base = { action: d.action, rule: d.rule, ...(d.scores ? { scores: d.scores } : {}) };
    if (d.action !== 'blur') return { ...file, safety: base };
    const blurred = await blurredPreview(file.bytes).catch(() => undefined);
    // The same fallback as the first time: what cannot be blurred is not posted.
    if (!blurred) return { ...file, safety: { ...base, action: 'block' } };
    return { ...file, safety: { ...base, blurred: { bytes: blurred.bytes, mime: blurred.mime } } };
  };
}
