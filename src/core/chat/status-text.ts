import { t } from '../i18n/catalogs.ts';
import type { Locale } from '../../shared/i18n.ts';
import type { JobUpdate } from '../jobs/types.ts';

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

/**
 * The text of a job's status message: position and ETA while waiting, a progress bar with percent,
 * step n/m and node while running, and a final line at the end. The same for every chat platform.
 */
export function statusText(u: JobUpdate, locale: Locale): string {
  const job = u.job;
  const lines: string[] = [];
  const prompt =
    job.request.prompt.length > 120 ? `${job.request.prompt.slice(0, 119)}…` : job.request.prompt;
  if (prompt) lines.push(`“${prompt}”`);
  if (u.movedFrom) lines.push(t(locale, 'jobs.moved', { from: u.movedFrom }));
  switch (job.state) {
    case 'queued':
      lines.push(
        u.position !== undefined
          ? t(locale, 'chat.status.queued', {
              position: u.position + 1,
              eta: humanDuration(u.etaMs ?? 0, locale),
            })
          : t(locale, 'jobs.state.queued'),
      );
      break;
    case 'dispatched':
      lines.push(t(locale, 'jobs.state.dispatched'));
      break;
    case 'running': {
      const p = u.progress;
      const percent = Math.floor((p?.fraction ?? 0) * 100);
      const parts = [`${progressBar(p?.fraction ?? 0)} ${percent}%`];
      if (p?.step !== undefined && p.steps)
        parts.push(t(locale, 'chat.status.step', { step: p.step, steps: p.steps }));
      if (p?.nodeTitle ?? p?.node) parts.push(String(p?.nodeTitle ?? p?.node));
      if (p?.etaMs !== undefined)
        parts.push(t(locale, 'chat.status.eta', { eta: humanDuration(p.etaMs, locale) }));
      lines.push(parts.join(' · '));
      break;
    }
    case 'delivering':
      lines.push(t(locale, 'jobs.state.delivering'));
      break;
    case 'succeeded':
      lines.push(t(locale, 'jobs.state.succeeded'));
      break;
    default:
      lines.push(
        job.error
          ? `${t(locale, `jobs.state.${job.state}`)}: ${t(locale, job.error.code, job.error.params)}`
          : t(locale, `jobs.state.${job.state}`),
      );
  }
  return lines.join('\n');
}
