import type { UserMessage } from '#shared/i18n.ts';
import type { LoraChoice, ParamValues } from '../../workflows/types.ts';

/** A platform module's name (`discord`), or `cli` for the operator's command line. */
export type Platform = string;

/** Who asked: a stable identity, the community they asked in, and what tiers they may have. */
export interface Requester {
  platform: Platform;
  userId: string;
  displayName?: string;
  /** A guild, a chat, or an API key's owner group. */
  communityId?: string;
  roles?: string[];
  isChatAdmin?: boolean;
  apiKeyTier?: string;
  /** A linked identity shared across platforms; quotas, settings and history follow it. */
  identity?: string;
  locale?: string;
}

/** The key quotas, fairness and "your jobs" use for a requester. */
export { quotaKey as ownerKey } from '../quota/quota-policy.ts';

export const JOB_STATES = [
  'queued',
  'dispatched',
  'running',
  'delivering',
  'succeeded',
  'failed',
  'canceled',
  'expired',
] as const;
export type JobState = (typeof JOB_STATES)[number];
export const TERMINAL_STATES: ReadonlySet<JobState> = new Set(['succeeded', 'failed', 'canceled', 'expired']);
export const isTerminal = (s: JobState): boolean => TERMINAL_STATES.has(s);

/** How long a finished job whose owner was not told yet keeps being retried after restarts (1 day). */
const UNTOLD_KEPT_MS = 24 * 3600_000;

/**
 * Whether a job still needs the engine: it has not ended, or it ended and its front end has not taken
 * the news yet. Recovery (and the store's active index) lists exactly these.
 */
export function needsEngine(job: JobRecord, now = Date.now()): boolean {
  if (!isTerminal(job.state)) return true;
  if (!job.delivery || job.notifiedAt !== undefined) return false;
  return now - (job.finishedAt ?? job.updatedAt) < UNTOLD_KEPT_MS;
}

/** What to make: a template and the values for its parameters, already validated. */
export interface JobRequest {
  template: string;
  prompt: string;
  negative?: string;
  values: ParamValues;
  /** -1 or undefined: random; the seed used is stored on the job. */
  seed?: number;
  /** An input image (img2img, upscale), kept in storage so the job survives a restart. */
  inputImage?: { key: string; mime: string };
  /** The job this one derives from (reroll, variation, upscale). */
  parentJobId?: string;
  /** Operator-level ComfyUI `extra_data`, if any. */
  extraData?: Record<string, unknown>;
  /** A whole API-format workflow (Comfy API v2 clients) instead of a template; `template` names it for logs. */
  workflow?: Record<string, unknown>;
  /** Model files chosen for the template's slots (`--model`): slot name → installed file. */
  models?: Record<string, string>;
  /** LoRAs chained after the template's main model loader, in order. */
  loras?: LoraChoice[];
}

/** Where and how a front end delivers this job: opaque to the core, stored with the job. */
export interface DeliveryTarget {
  platform: Platform;
  /** The place is age-restricted (a Discord NSFW channel): the safety policy defaults to allow there. */
  adult?: boolean;
  [key: string]: unknown;
}

/** An output as stored: enough to fetch it again from its backend. */
export interface StoredOutput {
  node: string;
  kind: 'image' | 'video' | 'audio' | 'text' | 'file';
  filename?: string;
  subfolder?: string;
  type?: string;
  text?: string;
  mime?: string;
}

export interface JobRecord {
  id: string;
  owner: Requester;
  ownerKey: string;
  request: JobRequest;
  seed: number;
  state: JobState;
  /** The bound ComfyUI workflow, ready to submit. */
  workflow: Record<string, unknown>;
  backend?: string;
  /** Our own lowercase UUID for ComfyUI, so the prompt can be found again after a restart. */
  promptId?: string;
  /**
   * The job's id on a Comfy API v2 backend, the service's own, persisted as soon as the submit answers so
   * a restart re-attaches the job there instead of running it again.
   */
  remoteId?: string;
  /** While it waits: why it is not sent to an overflow backend (the cloud budget limit it hit). */
  waitNote?: UserMessage;
  attempts: number;
  createdAt: number;
  updatedAt: number;
  dispatchedAt?: number;
  startedAt?: number;
  finishedAt?: number;
  delivery?: DeliveryTarget;
  outputs?: StoredOutput[];
  error?: UserMessage;
  /** Set once a front end confirmed the result is in the owner's hands. */
  deliveredAt?: number;
  /**
   * Set once the front end took the job's terminal update (its result, or why it failed): until then a
   * finished job is still picked up after a restart, so its owner is always told how it ended.
   */
  notifiedAt?: number;
  /** Backends this job was lost on, avoided when it is dispatched again (by any process). */
  avoid?: string[];
  idempotencyKey?: string;
  /** The ComfyRelay process that owns the job; on start a process recovers only its own jobs. */
  instance?: string;
  /** Scheduling priority from the owner's tier (higher first). */
  priority: number;
  /** Set when the owner or an admin deleted the result; its buttons no longer act. */
  deletedAt?: number;
  /** Where the uploaded input image's name goes, once it is on the chosen backend. */
  imageTargets?: { node: string; input: string }[];
  /**
   * The safety stage's decision per visual output, stored before the first delivery: a delivery after a
   * crash (or `/show`) presents each file the same way, without classifying it again.
   */
  safety?: SafetyDecision[];
}

/** What the safety stage decided for one output (its image is never stored again: only this). */
export interface SafetyDecision {
  /** Index into the job's result files. */
  output: number;
  filename: string;
  action: 'allow' | 'spoiler' | 'blur' | 'block';
  rule: 'explicit' | 'suggestive' | 'unknown' | 'none';
  scores?: Record<string, number>;
}

/** Live progress of a running job. */
export interface JobProgress {
  /** 0..1 over the whole workflow, weighted by node count and sampler steps. */
  fraction: number;
  node?: string;
  nodeTitle?: string;
  step?: number;
  steps?: number;
  etaMs?: number;
}

/** One update on a job's stream; the last one always carries a terminal state. */
export interface JobUpdate {
  job: JobRecord;
  position?: number;
  etaMs?: number;
  progress?: JobProgress;
  preview?: { mime: string; data: Uint8Array };
  /** Set once when the job moved to another backend after its first one failed. */
  movedFrom?: string;
  /** Why a waiting job is not sent to an overflow backend (the cloud budget limit it hit). */
  note?: UserMessage;
}
