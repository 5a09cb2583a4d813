import type { Locale, UserMessage } from '../../shared/i18n.ts';
import { t } from '../i18n/catalogs.ts';
import { isTerminal, type JobRecord } from '../jobs/types.ts';
import type { QuotaUsage } from '../quota/types.ts';
import type { JobsPort } from '../ports/jobs-port.ts';

// The answers of `/queue` and `/quota`, as messages in the person's language.

/** `/queue`'s answer: each of the person's unfinished jobs (its place or state), then the whole queue. */
export function queueLines(
  mine: readonly JobRecord[],
  jobs: Pick<JobsPort, 'position' | 'queueSnapshot'>,
  locale: Locale,
): UserMessage[] {
  const lines: UserMessage[] = mine
    .filter((j) => !isTerminal(j.state))
    .map((j) => {
      const pos = jobs.position(j.id);
      return pos
        ? {
            code: 'chat.queue.jobWaiting',
            params: { id: j.id, position: pos.position + 1, eta: Math.round(pos.etaMs / 1000) + ' s' },
          }
        : { code: 'chat.queue.job', params: { id: j.id, state: t(locale, `jobs.state.${j.state}`) } };
    });
  if (lines.length === 0) lines.push({ code: 'chat.queue.none' });
  const snap = jobs.queueSnapshot();
  const backends = snap.backends.filter((b) => b.healthy).length;
  lines.push({
    code: 'chat.queue.summary',
    params: { waiting: snap.waiting, running: snap.running, backends },
  });
  return lines;
}

/** `/quota`'s answer: the tier, the slots in use, and what is left of the window and when it resets. */
export function quotaLines(usage: QuotaUsage): UserMessage[] {
  if (usage.unlimited) return [{ code: 'chat.quota.unlimited', params: { tier: usage.tier } }];
  const lines: UserMessage[] = [
    {
      code: 'chat.quota.summary',
      params: {
        tier: usage.tier,
        running: usage.running.used,
        runningLimit: usage.running.limit,
        waiting: usage.waiting.used,
        waitingLimit: usage.waiting.limit,
      },
    },
  ];
  if (usage.window) {
    lines.push({
      code: 'chat.quota.window',
      params: {
        remaining: usage.window.remaining,
        limit: usage.window.limit,
        resetsAt: new Date(usage.window.resetsAt).toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
      },
    });
  }
  return lines;
}
