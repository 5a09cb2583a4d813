import { createHmac, timingSafeEqual } from 'node:crypto';
import type { JobRecord } from './types.ts';

/**
 * Signed, expiring links to one output file of a job, for files a chat platform cannot take (over its
 * upload limit). The HTTP adapter serves them at `<base>/files/<job>/<index>?exp=&sig=`: the signature
 * (HMAC-SHA256 over job id, index and expiry) is the only credential, so a link cannot be turned into
 * one for another file or a later expiry. Links are only made for files shown as they are (`allow` or
 * `spoiler`): never for a file the safety stage blurred or blocked.
 */
export interface OutputLinks {
  /** A link to file `index` of `job.outputs`' files (text outputs apart), or undefined when none may be made. */
  outputLink(job: LinkedJob, index: number): OutputLink | undefined;
  /** Whether a link's parts are genuine and still valid (the signature compared in constant time). */
  check(jobId: string, index: number, exp: string | undefined, sig: string | undefined): LinkCheck;
}

export interface OutputLink {
  url: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export type LinkCheck = 'valid' | 'invalid' | 'expired';

export type LinkedJob = Pick<JobRecord, 'id' | 'finishedAt' | 'updatedAt' | 'safety'>;

export interface OutputLinkSettings {
  /** Where the HTTP adapter is reached from outside (`http.publicUrl`). */
  baseUrl: string;
  /** At least 32 bytes; never logged. */
  secret: Uint8Array;
  /** How long a link is valid (default 7 days)… */
  ttlMs: number;
  /** …but never beyond the job's own retention (`retention.jobsDays` after it finished). */
  retentionMs: number;
  now: () => number;
}

export const DEFAULT_LINK_TTL_MS = 7 * 24 * 3600_000;
const SIG_BYTES = 32;

/** The path of a file's link under the HTTP adapter, without the query. */
export const outputLinkPath = (jobId: string, index: number): string =>
  `/files/${encodeURIComponent(jobId)}/${index}`;

/** Whether the safety stage let the file be shown as it is (no decision: screening was off, or not visual). */
export function linkable(job: Pick<JobRecord, 'safety'>, index: number): boolean {
  const decision = job.safety?.find((d) => d.output === index);
  return !decision || decision.action === 'allow' || decision.action === 'spoiler';
}

export function outputLinks(s: OutputLinkSettings): OutputLinks {
  const base = s.baseUrl.replace(/\/+$/, '');
  const sign = (jobId: string, index: number, expS: number): Buffer =>
    createHmac('sha256', s.secret).update(`comfyrelay-output-link\n${jobId}\n${index}\n${expS}`).digest();
  return {
    outputLink(job, index) {
      if (!Number.isSafeInteger(index) || index < 0 || !linkable(job, index)) return undefined;
      const now = s.now();
      const retainedUntil = (job.finishedAt ?? job.updatedAt ?? now) + s.retentionMs;
      const expS = Math.floor(Math.min(now + s.ttlMs, retainedUntil) / 1000);
      if (expS * 1000 <= now) return undefined;
      const sig = sign(job.id, index, expS).toString('base64url');
      return {
        url: `${base}${outputLinkPath(job.id, index)}?exp=${expS}&sig=${sig}`,
        expiresAt: expS * 1000,
      };
    },
    check(jobId, index, exp, sig) {
      if (!exp || !/^\d{1,12}$/.test(exp) || !sig || !/^[\w-]{43}$/.test(sig)) return 'invalid';
      if (!Number.isSafeInteger(index) || index < 0) return 'invalid';
      const given = Buffer.from(sig, 'base64url');
      const expected = sign(jobId, index, Number(exp));
      if (given.length !== SIG_BYTES || !timingSafeEqual(given, expected)) return 'invalid';
      return Number(exp) * 1000 <= s.now() ? 'expired' : 'valid';
    },
  };
}
