import type { z } from 'zod';
import type { AssetRecord } from '../../core/assets/asset-store.ts';
import type { Locale } from '#shared/i18n.ts';
import type { JobProgress, JobRecord } from '../../core/jobs/types.ts';
import { t } from '../../core/i18n/catalogs.ts';
import type { JobsPort } from '../../core/ports/jobs-port.ts';
import { isBlocked, outputSafetyJson } from './output-safety.ts';
import type { Asset, Job, JobStatus, Output, Progress, RelayJob } from './schemas.ts';

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());
const FAR = '2099-01-01T00:00:00.000Z';
const RETAIN_MS = 7 * 24 * 3600_000;

/** Where a job waits in the queue, for `queue_position` and `eta_ms`. */
export type JobPlaces = Pick<JobsPort, 'position'>;

/** Engine states onto Comfy API v2 statuses (`canceling` while a cancel is on its way). */
export function v2Status(job: JobRecord, canceling: boolean): z.infer<typeof JobStatus> {
  switch (job.state) {
    case 'queued':
    case 'dispatched':
      return canceling ? 'canceling' : 'queued';
    case 'running':
    case 'delivering':
      return canceling ? 'canceling' : 'running';
    default:
      return job.state;
  }
}

export function v2Progress(job: JobRecord, p: JobProgress | undefined): z.infer<typeof Progress> | null {
  if (!p) return null;
  const total = Object.keys(job.workflow).length;
  const node = p.node ? (job.workflow[p.node] as { class_type?: string } | undefined) : undefined;
  return {
    value: Math.min(1, Math.max(0, p.fraction)),
    nodes_done: Math.min(total, Math.floor(p.fraction * total)),
    nodes_total: total,
    current_node: p.node ?? null,
    current_node_class: node?.class_type ?? null,
    step: p.step ?? null,
    steps: p.steps ?? null,
    message: p.nodeTitle ?? null,
  };
}

export function v2Output(a: AssetRecord, origin: string): z.infer<typeof Output> {
  const url = `${origin}/api/v2/assets/${a.id}/content`;
  return {
    node_id: a.nodeId ?? '',
    name: a.filePath ?? a.id,
    type: a.kind ?? 'file',
    content_type: a.contentType,
    size_bytes: a.size,
    id: a.id,
    hash: isBlocked(a) ? null : a.hash,
    url,
    url_expires_at: FAR,
    job_id: a.jobId ?? null,
    safety: outputSafetyJson(a, url),
  };
}

export function v2Asset(a: AssetRecord, origin: string, createdNew?: boolean): z.infer<typeof Asset> {
  return {
    id: a.id,
    hash: isBlocked(a) ? null : a.hash,
    size_bytes: a.size,
    content_type: a.contentType,
    file_path: a.filePath ?? null,
    ...(createdNew === undefined ? {} : { created_new: createdNew }),
    created_at: new Date(a.createdAt).toISOString(),
    url: `${origin}/api/v2/assets/${a.id}/content`,
    url_expires_at: FAR,
    expires_at: new Date(a.expiresAt).toISOString(),
    job_id: a.jobId ?? null,
    ...(a.safety ? { safety: outputSafetyJson(a, `${origin}/api/v2/assets/${a.id}/content`) } : {}),
  };
}

export interface JobView {
  job: JobRecord;
  outputs: AssetRecord[];
  progress?: JobProgress;
  canceling: boolean;
  origin: string;
  locale: Locale;
}

const links = (id: string, base: string) => ({
  self: `${base}/${id}`,
  events: `${base}/${id}/events`,
  cancel: `${base}/${id}/cancel`,
});

export function v2Job(places: JobPlaces, v: JobView): z.infer<typeof Job> {
  const { job } = v;
  const running = job.state === 'running' || job.state === 'delivering';
  return {
    id: job.id,
    status: v2Status(job, v.canceling),
    created_at: iso(job.createdAt)!,
    started_at: iso(job.startedAt ?? job.dispatchedAt),
    completed_at: iso(job.state === 'delivering' ? undefined : job.finishedAt),
    expires_at: iso(job.createdAt + RETAIN_MS)!,
    queue_position: places.position(job.id)?.position ?? null,
    progress:
      job.state === 'succeeded'
        ? v2Progress(job, { fraction: 1 })
        : running
          ? v2Progress(job, v.progress)
          : null,
    outputs: job.state === 'succeeded' ? v.outputs.map((a) => v2Output(a, v.origin)) : [],
    error:
      job.error && job.state !== 'succeeded'
        ? { code: job.error.code, message: t(v.locale, job.error.code, job.error.params) }
        : null,
    urls: links(job.id, '/api/v2/jobs'),
  };
}

export function relayJob(places: JobPlaces, v: JobView): z.infer<typeof RelayJob> {
  const { job } = v;
  const place = places.position(job.id);
  return {
    id: job.id,
    state: job.state,
    template: job.request.template,
    prompt: job.request.prompt,
    seed: job.seed,
    position: place?.position ?? null,
    eta_ms: place?.etaMs ?? null,
    progress: job.state === 'succeeded' ? 1 : (v.progress?.fraction ?? null),
    created_at: iso(job.createdAt)!,
    finished_at: iso(job.state === 'delivering' ? undefined : job.finishedAt),
    error:
      job.error && job.state !== 'succeeded'
        ? { code: job.error.code, message: t(v.locale, job.error.code, job.error.params) }
        : null,
    outputs: job.state === 'succeeded' ? v.outputs.map((a) => v2Output(a, v.origin)) : [],
    urls: links(job.id, '/api/relay/jobs'),
  };
}
