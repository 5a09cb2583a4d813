import type { FileSafety, JobResult, ResultFile } from '../jobs/ports.ts';
import { blurredPreview } from './blur.ts';
import { CLASSIFIABLE_MIME } from './classifier.ts';
import { decide, type PlaceSafety, unsafeRule } from './policy.ts';
import type { AdminPlace, SafetyAdmin } from './safety-admin.ts';
import { type SafetyScores, type SafetyVerdict, scoredVerdict, unknownVerdict } from './scores.ts';

/**
 * A result shown again (`/show`) somewhere else than where it was first posted: the place where it is
 * shown decides, from the scores stored with the job (no image is classified again). An image blurred in
 * an ordinary channel is posted plainly in an age-restricted one; one posted plainly in an age-restricted
 * channel is blurred, spoilered or withheld in an ordinary one. Files without a stored decision (screening
 * was off, or not visual) are left as they are.
 */
export async function shownAt(
  admin: Pick<SafetyAdmin, 'inForce'>,
  place: AdminPlace,
  result: JobResult,
): Promise<JobResult> {
  if (!result.files.some((f) => f.safety)) return result;
  const { policy } = await admin.inForce(place);
  const files = await Promise.all(result.files.map((f) => (f.safety ? redecided(f, f.safety, policy) : f)));
  return { ...result, files };
}

/** The verdict the stored decision was made from: its scores, else "unknown" (the reason is not stored). */
function storedVerdict(file: ResultFile, stored: FileSafety): SafetyVerdict {
  if (stored.scores) return scoredVerdict(stored.scores as Partial<SafetyScores>);
  // A video has no scores because the classifier cannot read it; an image, because it failed on it.
  return unknownVerdict(CLASSIFIABLE_MIME.has(file.mime) ? 'failed' : 'unsupported');
}

async function redecided(file: ResultFile, stored: FileSafety, policy: PlaceSafety): Promise<ResultFile> {
  const verdict = storedVerdict(file, stored);
  const rule = unsafeRule(verdict, policy.thresholds, policy.unknown);
  const action = decide(verdict, policy);
  const base: FileSafety = { action, rule, ...(stored.scores ? { scores: stored.scores } : {}) };
  if (action !== 'blur') return { ...file, safety: base };
  const stand =
    stored.blurred ??
    (await blurredPreview(file.bytes).then(
      (b) => ({ bytes: b.bytes, mime: b.mime }),
      () => undefined,
    ));
  // As at delivery: what cannot be blurred is not posted.
  return { ...file, safety: stand ? { ...base, blurred: stand } : { ...base, action: 'block' } };
}
