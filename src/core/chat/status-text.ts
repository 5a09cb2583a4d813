import { t } from '../i18n/catalogs.ts';
import type { Locale, UserMessage } from '#shared/i18n.ts';
import type { JobRecord, JobUpdate } from '../jobs/types.ts';
import { derivedLabel } from './job-labels.ts';
import { forPerson } from './person-errors.ts';

export function progressBar(fraction: number, width = 16): string {
  const f = Math.max(0, Math.min(1, fraction));
  const filled = Math.round(f * width);
  return `${'▰'.repeat(filled)}${'▱'.repeat(width - filled)}`;
}

export function humanDuration(ms: number, locale: Locale): string {
  const s = Math.max(1, Math.round(ms / 1000));
  if (s < 60) return t(locale, 'chat.seconds', { n: s });
  const m = Math.floor(s / 60);
  if (m < 60) return t(locale, 'chat.minutes', { m, s: s % 60 });
  return t(locale, 'chat.hours', { h: Math.floor(m / 60), m: m % 60 });
}

/** "about 40 s to go", or "estimating the wait…" until the template's time was measured. */
export const etaText = (etaMs: number | undefined, locale: Locale): string =>
  etaMs === undefined
    ? t(locale, 'chat.eta.estimating')
    : t(locale, 'chat.eta.about', { eta: humanDuration(etaMs, locale) });

/** Why a job ended, in words for its owner ("Canceled", not "Canceled: Canceled."). */
export function endText(job: Pick<JobRecord, 'state' | 'error'>, locale: Locale): string {
  const state = t(locale, `jobs.state.${job.state}`);
  if (!job.error || job.error.code === 'jobs.canceled') return state;
  const m = forPerson(job.error).person;
  return `${state}: ${t(locale, m.code, m.params)}`;
}

/** The line saying where a job stands: its place and ETA, the server's queue, progress, or its end. */
function stateLine(u: JobUpdate, locale: Locale): string {
  const { job } = u;
  switch (job.state) {
    case 'queued':
      return u.position === undefined
        ? t(locale, 'jobs.state.queued')
        : t(locale, 'chat.status.queued', { position: u.position + 1, eta: etaText(u.etaMs, locale) });
    case 'dispatched':
      // Sent to ComfyUI, which may run other prompts first (its own queue, other clients).
      return u.position
        ? t(locale, 'chat.status.serverQueue', { ahead: u.position })
        : t(locale, 'chat.status.sent');
    case 'running': {
      const p = u.progress;
      if (!p?.fraction && p?.node === undefined && p?.step === undefined)
        return t(locale, 'chat.status.starting');
      const percent = Math.floor((p?.fraction ?? 0) * 100);
      const parts = [`${progressBar(p?.fraction ?? 0)} ${percent}%`];
      if (p?.step !== undefined && p.steps)
        parts.push(t(locale, 'chat.status.step', { step: p.step, steps: p.steps }));
      if (p?.nodeTitle ?? p?.node) parts.push(String(p?.nodeTitle ?? p?.node));
      if (p?.etaMs !== undefined)
        parts.push(t(locale, 'chat.status.eta', { eta: humanDuration(p.etaMs, locale) }));
      return parts.join(' · ');
    }
    case 'delivering':
    case 'succeeded':
      return t(locale, `jobs.state.${job.state}`);
    default:
      return endText(job, locale);
  }
}

/**
 * The text of a job's status message, the same on every chat platform: what it was made from, the
 * prompt, its place and ETA while waiting (with `notes`, e.g. that the person's other job runs first),
 * progress while running, and how it ended.
 */
export function statusText(u: JobUpdate, locale: Locale, notes: readonly UserMessage[] = []): string {
  const job = u.job;
  const lines: string[] = [];
  const label = derivedLabel(job);
  if (label) lines.push(t(locale, label.code, label.params));
  const prompt =
    job.request.prompt.length > 120 ? `${job.request.prompt.slice(0, 119)}…` : job.request.prompt;
  if (prompt) lines.push(`“${prompt}”`);
  if (u.movedFrom) lines.push(t(locale, 'jobs.moved', { from: u.movedFrom }));
  lines.push(stateLine(u, locale));
  for (const note of notes) lines.push(t(locale, note.code, note.params));
  return lines.join('\n');
}
