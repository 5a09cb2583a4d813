import type { Locale, UserMessage } from '#shared/i18n.ts';
import { t } from '../i18n/catalogs.ts';
import { isTerminal, type JobRecord } from '../jobs/types.ts';
import type { QuotaUsage } from '../quota/types.ts';
import type { JobsPort } from '../ports/jobs-port.ts';
import { etaText } from './status-text.ts';

// The answers of `/queue` and `/quota`, as messages in the person's language.

const short = (prompt: string) =>
  [...prompt].length > 40 ? `${[...prompt].slice(0, 39).join('')}…` : prompt;

/**
 * `/queue`'s answer: each of the person's unfinished jobs with its prompt and its place and ETA (or what
 * it is doing), then the whole queue: how many wait, how many run, on how many servers.
 */
export function queueLines(
  mine: readonly JobRecord[],
  jobs: Pick<JobsPort, 'position' | 'queueSnapshot'>,
  locale: Locale,
): UserMessage[] {
  const lines: UserMessage[] = mine
    .filter((j) => !isTerminal(j.state))
    .reverse()
    .map((j) => {
      const pos = j.state === 'queued' ? jobs.position(j.id) : undefined;
      const base = { id: j.id, prompt: short(j.request.prompt) };
      return pos
        ? {
            code: 'chat.queue.jobWaiting',
            params: { ...base, position: pos.position + 1, eta: etaText(pos.etaMs, locale) },
          }
        : { code: 'chat.queue.job', params: { ...base, state: t(locale, `jobs.state.${j.state}`) } };
    });
  lines.unshift(lines.length ? { code: 'chat.queue.mine' } : { code: 'chat.queue.none' });
  const snap = jobs.queueSnapshot();
  const backends = snap.backends.filter((b) => b.healthy).length;
  lines.push({
    code: 'chat.queue.summary',
    params: { waiting: snap.waiting, running: snap.running, backends },
  });
  return lines;
}

/** A tier's name as people read it: the built-in ones translated, the operator's own as written. */
const tierName = (tier: string, locale: Locale) =>
  tier === 'default' || tier === 'admin' ? t(locale, `chat.tier.${tier}`) : tier;

/** `/quota`'s answer: the tier, the slots in use, and what is left of the window and when it resets. */
export function quotaLines(usage: QuotaUsage, locale: Locale = 'en'): UserMessage[] {
  const tier = tierName(usage.tier, locale);
  if (usage.unlimited) return [{ code: 'chat.quota.unlimited', params: { tier } }];
  const lines: UserMessage[] = [
    {
      code: 'chat.quota.summary',
      params: {
        tier,
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
  return [...lines, ...cloudLines(usage, locale)];
}

/** What is left of each cloud backend's budget: a header per backend, a line per limit. */
function cloudLines(usage: QuotaUsage, locale: Locale): UserMessage[] {
  const lines: UserMessage[] = [];
  let backend: string | undefined;
  for (const r of usage.cloud ?? []) {
    if (r.backend !== backend) lines.push({ code: 'quota.cloud.header', params: { backend: r.backend } });
    backend = r.backend;
    const scope = t(locale, `quota.cloud.scope.${r.scope}`);
    const resets = new Date(r.resetsAt).toISOString().replace('T', ' ').slice(0, 16);
    const round = (n: number) => Math.round(n);
    lines.push({
      code: 'quota.cloud.line',
      params: { scope, limit: r.limit, left: round(r.left), max: r.max, resets },
    });
  }
  return lines;
}
