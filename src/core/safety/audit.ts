import type { AuditEntry } from '../storage/audit-log.ts';
import type { PlaceSafety, SafetyAction, UnsafeRule } from './policy.ts';
import type { SafetyScores, SafetyVerdict, UnknownReason } from './scores.ts';

/**
 * One safety decision, kept for admins' review. It names the output (job id + index into the job's
 * outputs, which the job record can fetch again) and never holds the image itself.
 */
export interface SafetyAuditRecord {
  /** Epoch milliseconds. */
  at: number;
  jobId: string;
  /** Index of the file in the job's result files. */
  output: number;
  filename?: string;
  /** Scores rounded to 4 decimals; absent for an unknown verdict. */
  scores?: SafetyScores;
  frames?: number;
  unknown?: UnknownReason;
  rule: UnsafeRule;
  action: SafetyAction;
  /** Where it was going and the policy there. */
  place: { platform: string; communityId?: string; channelId?: string; adult: boolean; policy: SafetyAction };
  /** Time the classifier took, decoding and queueing included. */
  latencyMs?: number;
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

export function safetyAuditRecord(input: {
  at: number;
  jobId: string;
  output: number;
  filename?: string;
  verdict: SafetyVerdict;
  rule: UnsafeRule;
  action: SafetyAction;
  place: PlaceSafety;
  where: { platform: string; communityId?: string; channelId?: string };
  latencyMs?: number;
}): SafetyAuditRecord {
  const v = input.verdict;
  return {
    at: input.at,
    jobId: input.jobId,
    output: input.output,
    ...(input.filename !== undefined ? { filename: input.filename } : {}),
    ...(v.kind === 'scored'
      ? {
          scores: Object.fromEntries(Object.entries(v.scores).map(([k, x]) => [k, round(x)])) as SafetyScores,
          frames: v.frames,
        }
      : { unknown: v.reason }),
    rule: input.rule,
    action: input.action,
    place: { ...input.where, adult: input.place.adult, policy: input.place.action },
    ...(input.latencyMs !== undefined ? { latencyMs: Math.round(input.latencyMs) } : {}),
  };
}

/** The record as an entry of the append-only audit log (`actor` is the system, `target` the output). */
export function safetyAuditEntry(record: SafetyAuditRecord): AuditEntry {
  const { at, jobId, output, action, ...details } = record;
  return { at, actor: 'system:safety', action: `safety.${action}`, target: `${jobId}#${output}`, details };
}

/** An admin changed the safety policy of a community or channel: who, where, from what to what. */
export function safetyPolicyAuditEntry(input: {
  at: number;
  actor: string;
  community: string;
  channelId?: string;
  before: unknown;
  after: unknown;
}): AuditEntry {
  return {
    at: input.at,
    actor: input.actor,
    action: 'safety.policy',
    target: input.channelId ? `${input.community}/${input.channelId}` : input.community,
    details: { before: input.before, after: input.after },
  };
}
