import { t } from '../i18n/catalogs.ts';
import type { Locale } from '#shared/i18n.ts';
import type { JobRecord } from '../jobs/types.ts';
import { derivedLabel } from './job-labels.ts';

export interface CaptionParts {
  /** "Variation 2 of job abc" for a job made from another. */
  label?: string;
  prompt: string;
  /** `seed 42 · sd15-txt2img · 512×512 · 20 steps · 12.3 s` */
  details: string;
  /** How long it ran, in the person's language (`12.3 s`, `12.3 秒`). */
  time?: string;
  requester?: string;
}

/** What a result shows under the images, trimmed to a platform's caption limit. */
export function captionParts(job: JobRecord, locale: Locale): CaptionParts {
  const v = job.request.values;
  const time =
    job.startedAt && job.finishedAt
      ? t(locale, 'chat.caption.time', { s: ((job.finishedAt - job.startedAt) / 1000).toFixed(1) })
      : undefined;
  const details = [
    t(locale, 'chat.caption.seed', { seed: job.seed }),
    job.request.template,
    v.width && v.height ? `${v.width}×${v.height}` : undefined,
    v.steps ? t(locale, 'chat.caption.steps', { steps: String(v.steps) }) : undefined,
    time,
  ].filter(Boolean);
  const label = derivedLabel(job);
  return {
    ...(label ? { label: t(locale, label.code, label.params) } : {}),
    prompt: job.request.prompt,
    details: details.join(' · '),
    ...(time ? { time } : {}),
    requester: job.owner.displayName,
  };
}

/** One plain-text caption within `limit` characters; the prompt is what gets shortened. */
export function captionText(job: JobRecord, locale: Locale, limit: number): string {
  const parts = captionParts(job, locale);
  const tail = [parts.details, parts.requester ? `— ${parts.requester}` : undefined]
    .filter(Boolean)
    .join('\n');
  const head = parts.label ? `${parts.label}\n` : '';
  const room = Math.max(0, limit - tail.length - head.length - 3);
  const prompt =
    [...parts.prompt].length > room
      ? `${[...parts.prompt].slice(0, Math.max(0, room - 1)).join('')}…`
      : parts.prompt;
  return head + (prompt ? `${prompt}\n${tail}` : tail);
}
