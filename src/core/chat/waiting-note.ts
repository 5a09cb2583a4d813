import type { UserMessage } from '#shared/i18n.ts';
import type { JobRecord } from '../jobs/types.ts';
import type { JobsPort } from '../ports/jobs-port.ts';
import type { QuotaReport } from '../ports/quota-report.ts';

const RUNNING = new Set(['dispatched', 'running']);

/**
 * Why a waiting job waits: the cloud budget limit that keeps it off the overflow backend, if any; and
 * its owner's own jobs, when they hold it: only while it is still queued, the
 * owner's running slots are full, and other jobs of theirs really hold them (never on a first job, nor
 * on one that starts at once and was counted as running by the time this is asked).
 */
export async function waitingNote(
  job: JobRecord,
  jobs: Pick<JobsPort, 'listForUser'>,
  quota: QuotaReport,
): Promise<UserMessage[]> {
  if (job.state !== 'queued') return [];
  // The cloud overflow's budget is spent: which limit keeps the job waiting for the local GPU.
  const budget = job.waitNote ? [job.waitNote] : [];
  return [...budget, ...(await ownRunning(job, jobs, quota))];
}

async function ownRunning(
  job: JobRecord,
  jobs: Pick<JobsPort, 'listForUser'>,
  quota: QuotaReport,
): Promise<UserMessage[]> {
  const usage = await quota.usage(job.owner);
  // Most waits are not the owner's own: the counts say so without reading any job.
  if (usage.unlimited || usage.running.used < usage.running.limit) return [];
  const mine = await jobs.listForUser(job.owner, 50);
  if (mine.find((j) => j.id === job.id)?.state !== 'queued') return [];
  const others = mine.filter((j) => j.id !== job.id && RUNNING.has(j.state)).length;
  if (others === 0 || others < usage.running.limit) return [];
  return others === 1
    ? [{ code: 'chat.status.otherRunning' }]
    : [{ code: 'chat.status.othersRunning', params: { count: others } }];
}
