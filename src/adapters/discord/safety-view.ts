import type { UserMessage } from '#shared/i18n.ts';
import type { FileSafety, JobResult, ResultFile } from '../../core/jobs/ports.ts';
import type { JobRecord } from '../../core/jobs/types.ts';

/** Discord hides an attachment behind a spoiler when its name starts with this. */
export const SPOILER = 'SPOILER_';
/** "Show original" buttons: `crx:<job>:<file index>` (not a core action: the adapter answers it alone). */
const REVEAL_PREFIX = 'crx';

export const revealId = (jobId: string, index: number): string => `${REVEAL_PREFIX}:${jobId}:${index}`;

export function parseRevealId(raw: string): { jobId: string; index: number } | undefined {
  const [prefix, jobId, index, ...rest] = raw.split(':');
  if (prefix !== REVEAL_PREFIX || rest.length || !jobId || !/^[0-9a-z]{10}$/.test(jobId)) return undefined;
  if (!index || !/^\d{1,2}$/.test(index)) return undefined;
  return { jobId, index: Number(index) };
}

/** A result as it may be shown here, with what was held back and why. */
export interface SafetyView {
  /** The files to post: spoilered ones renamed, blurred ones replaced by their stand-in, blocked ones gone. */
  result: JobResult;
  /** Notes for the channel message (no detail about a withheld file). */
  notes: UserMessage[];
  /** Indexes (into the job's files) of blurred files, for the "Show original" buttons. */
  blurred: number[];
  /** Why each withheld file was withheld, for the requester's private notice. */
  blocked: FileSafety['rule'][];
  /** Every file is posted as it was produced (a grid of them shows nothing hidden). */
  plain: boolean;
}

const baseName = (f: ResultFile) => (f.filename.split('/').pop() ?? f.filename).replace(/\.[^.]+$/, '');
const leaf = (f: ResultFile) => f.filename.split('/').pop() ?? f.filename;

/** Applies the safety stage's decision to each file; the front end never classifies. */
export function safetyView(result: JobResult): SafetyView {
  const files: ResultFile[] = [];
  const blurred: number[] = [];
  const blocked: FileSafety['rule'][] = [];
  let spoilers = 0;
  for (const [index, file] of result.files.entries()) {
    const action = file.safety?.action ?? 'allow';
    if (action === 'allow') files.push(file);
    else if (action === 'spoiler') {
      spoilers++;
      files.push({ ...file, filename: `${SPOILER}${leaf(file)}` });
    } else if (action === 'blur' && file.safety?.blurred) {
      blurred.push(index);
      const { bytes, mime } = file.safety.blurred;
      const ext = mime === 'image/png' ? 'png' : mime === 'image/webp' ? 'webp' : 'jpg';
      files.push({ ...file, kind: 'image', filename: `blurred_${baseName(file)}.${ext}`, bytes, mime });
    }
    // `block`, or a `blur` without its stand-in: nothing of the file is shown.
    else blocked.push(file.safety?.rule ?? 'unknown');
  }
  const notes: UserMessage[] = [
    ...(spoilers ? [{ code: 'discord.safety.spoiler', params: { count: spoilers } }] : []),
    ...(blurred.length ? [{ code: 'discord.safety.blurred', params: { count: blurred.length } }] : []),
    ...(blocked.length ? [{ code: 'discord.safety.withheld', params: { count: blocked.length } }] : []),
  ];
  const plain = !spoilers && !blurred.length && !blocked.length;
  return { result: { ...result, files }, notes, blurred, blocked, plain };
}

/** The requester's private notice about withheld files: which job, and the reason in plain words. */
export function withheldNotice(job: JobRecord, rules: readonly FileSafety['rule'][]): UserMessage {
  const rule = rules.includes('explicit')
    ? 'explicit'
    : rules.includes('suggestive')
      ? 'suggestive'
      : 'unknown';
  return { code: `discord.safety.withheldPrivate.${rule}`, params: { id: job.id, count: rules.length } };
}
