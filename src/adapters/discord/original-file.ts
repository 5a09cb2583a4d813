import type { RawFile } from 'discord.js';
import type { CommandReply } from '../../../commands/index.ts';
import { fitImage } from '../../core/chat/media.ts';
import type { ResultFile } from '../../core/jobs/ports.ts';
import type { Locale, UserMessage } from '#shared/i18n.ts';
import type { DiscordDeps } from './deps.ts';
import { type Payload, textPayload } from './render.ts';
import { sizeText } from './result-files.ts';

const leaf = (f: ResultFile) => f.filename.split('/').pop() ?? f.filename;

/**
 * A file as produced (never its blurred stand-in) within `limit`: as it is when it fits, else a still
 * image re-encoded smaller. Undefined when neither fits (an animation or a video over the limit).
 */
export async function fittedOriginal(
  file: ResultFile,
  limit: number,
): Promise<{ name: string; bytes: Buffer; mime: string } | undefined> {
  const name = leaf(file);
  if (file.bytes.length <= limit) return { name, bytes: file.bytes, mime: file.mime };
  if (file.kind !== 'image') return undefined;
  const fitted = await fitImage(name, file.bytes, file.mime, {
    maxBytes: limit,
    formats: ['webp', 'jpeg'],
    keepPng: true,
  }).catch(() => undefined);
  return fitted ? { name: fitted.name, bytes: fitted.bytes, mime: fitted.mime } : undefined;
}

type TextReply = Extract<CommandReply, { kind: 'text' }>;

/**
 * An admin's `/admin safety original` as the body of their ephemeral reply (the caller makes sure it is
 * one): the reply's text and the file read again from its backend. Over the upload limit: the signed
 * link when one may be made (the core makes none for a blurred or blocked file), else the file
 * re-encoded smaller when it is a still image, else a note with its size.
 */
export async function originalPayload(
  deps: Pick<DiscordDeps, 'results' | 'links'>,
  reply: TextReply,
  locale: Locale,
  limit: number,
): Promise<Payload> {
  if (!reply.original) return textPayload(reply.messages, locale);
  const { job, output } = reply.original;
  const say = (messages: UserMessage[], files: RawFile[] = []): Payload => {
    const { body } = textPayload(messages, locale);
    return { body: { ...body, attachments: files.map((f, id) => ({ id, filename: f.name })) }, files };
  };
  const read = await deps.results.read(job);
  if (!read.ok) return say([...reply.messages, read.error]);
  const file = read.value.files[output];
  if (!file) return say([...reply.messages, { code: 'discord.safety.revealGone' }]);
  const params = { name: leaf(file), size: sizeText(file.bytes.length), limit: sizeText(limit) };
  const link = file.bytes.length > limit ? deps.links?.outputLink(job, output) : undefined;
  if (link) {
    const until = `<t:${Math.floor(link.expiresAt / 1000)}:R>`;
    return say([
      ...reply.messages,
      { code: 'discord.tooLargeLink', params: { ...params, url: link.url, until } },
    ]);
  }
  const fitted = await fittedOriginal(file, limit);
  if (!fitted) return say([...reply.messages, { code: 'discord.tooLarge', params }]);
  return say(reply.messages, [{ name: fitted.name, data: fitted.bytes, contentType: fitted.mime }]);
}
