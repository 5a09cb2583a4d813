import type { Telegram } from 'telegraf';
import type {
  InlineKeyboardMarkup,
  InputMediaDocument,
  InputMediaPhoto,
  ReplyParameters,
} from 'telegraf/types';
import type { ChatButton } from '../../core/chat/buttons.ts';
import type { MediaLimits } from '../../core/chat/media.ts';
import { resultMedia } from '../../core/chat/result-media.ts';
import type { JobResult } from '../../core/jobs/ports.ts';
import { isBadRequest } from './api-errors.ts';

/** Telegram's upload limits: photos 10 MB and width + height ≤ 10000 (re-encoded to JPEG), documents 50 MB. */
export interface TelegramMediaLimits {
  photo: MediaLimits;
  documentMaxBytes: number;
}

export const TELEGRAM_LIMITS: TelegramMediaLimits = {
  photo: { maxBytes: 10 * 1024 * 1024, maxDimensionSum: 10_000, formats: ['jpeg'], keepPng: false },
  documentMaxBytes: 50 * 1024 * 1024,
};

export const keyboard = (rows: ChatButton[][]): InlineKeyboardMarkup => ({
  inline_keyboard: rows.map((r) => r.map((b) => ({ text: b.label, callback_data: b.id }))),
});

export const replyTo = (id: number | undefined) =>
  id === undefined ? {} : { reply_parameters: { message_id: id, allow_sending_without_reply: true } };

/**
 * The same for uploads: telegraf 4.16 only JSON-encodes a fixed list of fields in multipart bodies and
 * `reply_parameters` is not on it (it would go out as a file part), so it is passed pre-serialized.
 */
export const replyToUpload = (id: number | undefined) =>
  id === undefined
    ? {}
    : {
        reply_parameters: JSON.stringify({
          message_id: id,
          allow_sending_without_reply: true,
        }) as unknown as ReplyParameters,
      };

/** What is already in the chat, so a repeated delivery after a crash sends nothing twice. */
export interface Delivered {
  resultIds?: number[];
  buttonsId?: number;
}

export interface SendResultOptions {
  caption: string;
  /** The buttons message's text when the buttons cannot ride on the media (albums). */
  buttonsText: string;
  /** Shown when a file is too big even as a document. */
  tooBigText: (name: string) => string;
  buttons: InlineKeyboardMarkup;
  replyTo?: number;
  limits: TelegramMediaLimits;
  asDocuments: boolean;
  delivered: Delivered;
  save(patch: Delivered): Promise<void>;
  /** Wraps every call (waits out 429s for this chat). */
  call<T>(fn: () => Promise<T>): Promise<T>;
}

type File = { name: string; bytes: Buffer };

/**
 * One image: sendPhoto with caption and buttons. Several: albums of 2–10 (caption on the first item), then
 * a separate message with the buttons, since albums carry none. Images that do not fit a photo even
 * re-encoded, and every original when `asDocuments`, go as documents (≤ 50 MB).
 */
export async function sendResult(
  tg: Telegram,
  chatId: number,
  result: JobResult,
  o: SendResultOptions,
): Promise<void> {
  let ids = o.delivered.resultIds;
  let buttonsId = o.delivered.buttonsId;
  if (!ids) {
    const images = result.files.filter((f) => f.kind === 'image' && !f.filename.includes('_temp_'));
    let photos: File[] = [];
    let docs: File[] = result.files
      .filter((f) => f.kind !== 'image')
      .map((f) => ({ name: f.filename, bytes: f.bytes }));
    if (o.asDocuments) docs = [...images.map((f) => ({ name: f.filename, bytes: f.bytes })), ...docs];
    else {
      const media = await resultMedia(result, { ...o.limits.photo, maxFiles: 100, grid: false });
      photos = media.images.map((i) => ({ name: i.name, bytes: i.bytes }));
      docs = [
        ...images
          .filter((f) => media.unfit.includes(f.filename))
          .map((f) => ({ name: f.filename, bytes: f.bytes })),
        ...docs,
      ];
    }
    const tooBig = docs.filter((d) => d.bytes.length > o.limits.documentMaxBytes);
    docs = docs.filter((d) => d.bytes.length <= o.limits.documentMaxBytes);
    const extra = replyToUpload(o.replyTo);
    ids = [];
    if (photos.length + docs.length === 1) {
      const withButtons = { caption: o.caption, reply_markup: o.buttons, ...extra };
      const photo = photos[0];
      const doc = docs[0]!;
      const sent = photo
        ? await o
            .call(() => tg.sendPhoto(chatId, { source: photo.bytes, filename: photo.name }, withButtons))
            .catch((e: unknown) => {
              // Telegram refused the photo (dimensions, processing): the original as a document instead.
              if (!isBadRequest(e)) throw e;
              const original = images[0] ?? { filename: photo.name, bytes: photo.bytes };
              return o.call(() =>
                tg.sendDocument(chatId, { source: original.bytes, filename: original.filename }, withButtons),
              );
            })
        : await o.call(() => tg.sendDocument(chatId, { source: doc.bytes, filename: doc.name }, withButtons));
      ids.push(sent.message_id);
      buttonsId = sent.message_id;
    } else {
      let caption: string | undefined = o.caption;
      for (const [kind, files] of [
        ['photo', photos],
        ['document', docs],
      ] as const) {
        for (let i = 0; i < files.length; i += 10) {
          const chunk = files.slice(i, i + 10);
          const first = chunk[0]!;
          const cap = caption ? { caption } : {};
          caption = undefined;
          if (chunk.length === 1) {
            const input = { source: first.bytes, filename: first.name };
            const m = await o.call<{ message_id: number }>(() =>
              kind === 'photo'
                ? tg.sendPhoto(chatId, input, { ...cap, ...extra })
                : tg.sendDocument(chatId, input, { ...cap, ...extra }),
            );
            ids.push(m.message_id);
            continue;
          }
          const media = chunk.map((f, n) => ({
            type: kind,
            media: { source: f.bytes, filename: f.name },
            ...(n === 0 ? cap : {}),
          }));
          const sent = await o.call(() =>
            tg.sendMediaGroup(chatId, media as InputMediaPhoto[] | InputMediaDocument[], extra),
          );
          ids.push(...sent.map((m) => m.message_id));
        }
      }
      for (const d of tooBig) {
        const m = await o.call(() => tg.sendMessage(chatId, o.tooBigText(d.name), replyTo(o.replyTo)));
        ids.push(m.message_id);
      }
    }
    await o.save({ resultIds: ids, ...(buttonsId === undefined ? {} : { buttonsId }) });
  }
  if (buttonsId === undefined) {
    const text = [ids.length === 0 ? o.caption : o.buttonsText, ...result.texts.map((t) => t.text)]
      .join('\n')
      .slice(0, 4096);
    const m = await o.call(() =>
      tg.sendMessage(chatId, text, { reply_markup: o.buttons, ...replyTo(o.replyTo) }),
    );
    await o.save({ buttonsId: m.message_id });
  }
}
