import type { RawFile } from 'discord.js';
import type { ChatButton } from '../../core/chat/buttons.ts';
import { resultButtons, statusButtons } from '../../core/chat/buttons.ts';
import { captionParts } from '../../core/chat/caption.ts';
import { derivedLabel } from '../../core/chat/job-labels.ts';
import { messagesText } from '../../core/chat/messages-text.ts';
import type { ResultMedia } from '../../core/chat/result-media.ts';
import { statusText } from '../../core/chat/status-text.ts';
import { t } from '../../core/i18n/catalogs.ts';
import type { Locale, UserMessage } from '#shared/i18n.ts';
import type { JobRecord, JobUpdate } from '../../core/jobs/types.ts';
import { SPOILER } from './safety-view.ts';

/** A message body plus its files, ready for discord.js REST (`files` are uploaded as `files[n]`). */
export interface Payload {
  body: Record<string, unknown>;
  files?: RawFile[];
}

const STYLE = { primary: 1, secondary: 2, danger: 4 } as const;
/** Discord rejects a request over 25 MiB; keep room for the JSON part. */
const REQUEST_BYTES = 25 * 1024 * 1024 - 64 * 1024;
const clip = (s: string, n: number) => ([...s].length > n ? `${[...s].slice(0, n - 1).join('')}…` : s);

export const components = (rows: ChatButton[][]) =>
  rows.slice(0, 5).map((row) => ({
    type: 1,
    components: row
      .slice(0, 5)
      .map((b) => ({ type: 2, style: STYLE[b.style], custom_id: b.id, label: clip(b.label, 80) })),
  }));

export const textPayload = (messages: readonly UserMessage[], locale: Locale): Payload => ({
  body: {
    content: clip(messagesText(messages, locale), 2000),
    embeds: [],
    components: [],
    attachments: [],
  },
});

/** The status message: text, the latest preview (when allowed), and Cancel while the job can still stop. */
export function statusPayload(
  u: JobUpdate,
  locale: Locale,
  preview: boolean,
  extra: UserMessage[] = [],
): Payload {
  const active = ['queued', 'dispatched', 'running'].includes(u.job.state);
  const body: Record<string, unknown> = {
    content: clip(statusText(u, locale, extra), 2000),
    components: active ? components(statusButtons(u.job.id, locale)) : [],
  };
  if (!active) body.attachments = [];
  if (active && preview && u.preview) {
    const ext = u.preview.mime.split('/')[1] ?? 'jpeg';
    body.attachments = [{ id: 0, filename: `preview.${ext}` }];
    return {
      body,
      files: [{ name: `preview.${ext}`, data: Buffer.from(u.preview.data), contentType: u.preview.mime }],
    };
  }
  return { body };
}

/** The result: fitted images (grid first), an embed with the job's details, and the result buttons. */
export function resultPayload(
  job: JobRecord,
  media: ResultMedia,
  locale: Locale,
  available: { variation: boolean; upscale: boolean },
  defaults: Record<string, unknown> = {},
): Payload {
  const files: RawFile[] = [];
  let total = 0;
  const unfit = [...media.unfit];
  for (const f of [
    ...media.images.map((i) => ({ name: i.name, data: i.bytes, contentType: i.mime })),
    ...media.others.map((o) => ({
      name: o.filename.split('/').pop() ?? o.filename,
      data: o.bytes,
      contentType: o.mime,
    })),
  ]) {
    if (files.length >= 10 || total + f.data.length > REQUEST_BYTES) unfit.push(f.name);
    else {
      files.push(f);
      total += f.data.length;
    }
  }
  const v = { ...defaults, ...job.request.values };
  const field = (code: string, value: unknown) =>
    value === undefined || value === ''
      ? []
      : [{ name: t(locale, code), value: clip(String(value), 1024), inline: true }];
  const parts = captionParts(job, locale);
  const label = derivedLabel(job);
  const embed = {
    ...(label ? { title: clip(t(locale, label.code, label.params), 256) } : {}),
    description: clip(parts.prompt || '-', 4000),
    fields: [
      ...field('discord.embed.seed', job.seed),
      ...field('discord.embed.template', job.request.template),
      ...field('discord.embed.size', v.width && v.height ? `${v.width}×${v.height}` : undefined),
      ...field('discord.embed.steps', v.steps),
      ...field('discord.embed.time', parts.time),
      ...field(
        'discord.embed.requester',
        job.owner.platform === 'discord' ? `<@${job.owner.userId}>` : parts.requester,
      ),
    ],
    footer: { text: job.id },
    // A spoilered file shown in the embed would be shown unhidden.
    ...(files[0]?.contentType?.startsWith('image/') && !files[0].name.startsWith(SPOILER)
      ? { image: { url: `attachment://${files[0].name}` } }
      : {}),
  };
  const notes = [
    ...media.texts,
    ...(unfit.length ? [t(locale, 'discord.unfit', { count: unfit.length })] : []),
  ];
  const images = (job.outputs ?? []).filter(
    (o) => o.kind === 'image' && o.filename && o.type !== 'temp',
  ).length;
  return {
    body: {
      content: clip(notes.join('\n'), 2000),
      embeds: [embed],
      components: components(resultButtons(job.id, images, locale, available)),
      attachments: files.map((f, i) => ({ id: i, filename: f.name })),
    },
    files,
  };
}
