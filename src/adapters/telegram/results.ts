import { type Telegram, TelegramError } from 'telegraf';
import type { InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters } from 'telegraf/types';
import type { ChatButton } from '../../core/chat/buttons.ts';
import type { JobResult } from '../../core/jobs/ports.ts';
import { isBadRequest } from './api-errors.ts';
import { albumsOf, type Outgoing, planResult, type TelegramMediaLimits } from './result-plan.ts';

export { TELEGRAM_LIMITS, type TelegramMediaLimits } from './result-plan.ts';

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
  /** The requester was told privately about the files the safety filter withheld. */
  withheldTold?: boolean;
  /**
   * The step being sent (`files:<n>`, `buttons`), saved before the send and cleared with its ids after:
   * found set by a repeated delivery, that step's outcome is unknown and it is not sent again.
   */
  sending?: string | null;
  /** Ids of the file steps sent so far, until the whole result is recorded in `resultIds`. */
  partIds?: number[];
  /** The note offering Resend after an unknown outcome (see `resend.ts`). */
  resendNoteId?: number;
}

export interface SendResultOptions {
  caption: string;
  /** The buttons message's text when the buttons cannot ride on the media (albums). */
  buttonsText: string;
  /** Shown when a file is too big even as a document (`index` in `result.files`: for a download link). */
  tooBigText: (name: string, index: number) => string;
  /** The short note in the chat when the safety filter withheld files. */
  withheldText: (count: number) => string;
  buttons: InlineKeyboardMarkup;
  /** Buttons offering the originals of blurred files (indices into `result.files`), above the others. */
  revealRows: (indices: number[]) => InlineKeyboardButton[][];
  /** Tells the requester privately that files were withheld (once per delivery). */
  onWithheld?: (count: number) => Promise<void>;
  replyTo?: number;
  limits: TelegramMediaLimits;
  asDocuments: boolean;
  delivered: Delivered;
  save(patch: Delivered): Promise<void>;
  /** Wraps every call (waits out 429s for this chat). */
  call<T>(fn: () => Promise<T>): Promise<T>;
}

type Sent = { message_id: number };

/** The caption with the note kept whole at its end (Telegram cuts captions at 1024). */
const withNote = (caption: string, note: string | undefined, max: number) =>
  note ? `${caption.slice(0, Math.max(0, max - note.length - 1))}\n${note}` : caption;

/**
 * A result in the order the workflow made it: one file as one message with caption and buttons; more as
 * albums of 2–10 (photos and videos together, audio together, documents together; animations alone),
 * the caption on the first, then a separate message with the buttons, since albums carry none. Each
 * file's safety decision is applied (see `planResult`); withheld files leave a short note instead.
 */
export async function sendResult(
  tg: Telegram,
  chatId: number,
  result: JobResult,
  o: SendResultOptions,
): Promise<void> {
  let ids = o.delivered.resultIds;
  let buttonsId = o.delivered.buttonsId;
  const reveals = result.files.flatMap((f, i) =>
    f.safety?.action === 'blur' && f.safety.blurred ? [i] : [],
  );
  const buttons = { inline_keyboard: [...o.revealRows(reveals), ...o.buttons.inline_keyboard] };
  const plan = ids ? undefined : await planResult(result, o);
  // Sent already (a repeated delivery): the files blocked outright still say what the note says.
  const withheld =
    plan?.withheld ??
    result.files.filter(
      (f) => f.safety?.action === 'block' || (f.safety?.action === 'blur' && !f.safety.blurred),
    ).length;
  const note = withheld > 0 ? o.withheldText(withheld) : undefined;
  // Each send is bracketed by two awaited writes: the step before, its ids after. A step Telegram
  // answered with an error sent nothing: its marker goes, so a retry may send it again.
  const step = async <T>(name: string, send: () => Promise<T>): Promise<T> => {
    await o.save({ sending: name });
    try {
      return await send();
    } catch (e) {
      if (e instanceof TelegramError) await o.save({ sending: null });
      throw e;
    }
  };
  if (plan) {
    const extra = replyToUpload(o.replyTo);
    const groups = albumsOf(plan.items);
    const sent: number[] = [];
    const steps: (() => Promise<number[]>)[] = [];
    const only = groups.length === 1 && plan.tooBig.length === 0 ? groups[0] : undefined;
    if (only?.length === 1) {
      steps.push(async () => {
        const m = await sendOne(tg, chatId, only[0]!, o, {
          caption: withNote(o.caption, note, 1024),
          reply_markup: buttons,
          ...extra,
        });
        buttonsId = m.message_id;
        return [m.message_id];
      });
    } else {
      let caption: string | undefined = groups.length ? withNote(o.caption, note, 1024) : undefined;
      for (const group of groups) {
        const cap = caption ? { caption } : {};
        caption = undefined;
        if (group.length === 1)
          steps.push(async () => [
            (await sendOne(tg, chatId, group[0]!, o, { ...cap, ...extra })).message_id,
          ]);
        else {
          const media = group.map((f, n) => ({
            type: f.kind,
            media: { source: f.bytes, filename: f.name },
            ...(f.spoiler ? { has_spoiler: true } : {}),
            ...(n === 0 ? cap : {}),
          }));
          steps.push(async () => {
            const msgs = await o.call(() =>
              tg.sendMediaGroup(chatId, media as unknown as Parameters<Telegram['sendMediaGroup']>[1], extra),
            );
            return msgs.map((m) => m.message_id);
          });
        }
      }
      for (const { name, index } of plan.tooBig) {
        const text = o.tooBigText(name, index);
        steps.push(async () => [
          (await o.call(() => tg.sendMessage(chatId, text, replyTo(o.replyTo)))).message_id,
        ]);
      }
    }
    for (const [n, send] of steps.entries()) {
      sent.push(...(await step(`files:${n}`, send)));
      if (n < steps.length - 1) await o.save({ partIds: [...sent], sending: null });
    }
    ids = sent;
    await o.save({ resultIds: ids, ...(buttonsId === undefined ? {} : { buttonsId }), sending: null });
  }
  if (withheld > 0 && !o.delivered.withheldTold && o.onWithheld) {
    await o.onWithheld(withheld);
    await o.save({ withheldTold: true });
  }
  if (buttonsId === undefined) {
    const head =
      (ids ?? []).length === 0 ? withNote(o.caption, note, 4096) : withNote(o.buttonsText, note, 4096);
    const text = [head, ...result.texts.map((t) => t.text)].join('\n').slice(0, 4096);
    const m = await step('buttons', () =>
      o.call(() => tg.sendMessage(chatId, text, { reply_markup: buttons, ...replyTo(o.replyTo) })),
    );
    await o.save({ buttonsId: m.message_id, sending: null });
  }
}

/**
 * One file by its own method (`has_spoiler` where it is hidden). Where Telegram refuses the media
 * (dimensions, processing, format), its fallback goes as a document; a file behind a spoiler has none.
 */
export async function sendOne(
  tg: Telegram,
  chatId: number,
  item: Outgoing,
  o: Pick<SendResultOptions, 'call'>,
  extra: Record<string, unknown>,
): Promise<Sent> {
  const input = { source: item.bytes, filename: item.name };
  const x = { ...extra, ...(item.spoiler ? { has_spoiler: true } : {}) };
  const send = (): Promise<Sent> => {
    switch (item.kind) {
      case 'photo':
        return tg.sendPhoto(chatId, input, x);
      case 'animation':
        return tg.sendAnimation(chatId, input, x);
      case 'video':
        return tg.sendVideo(chatId, input, x);
      case 'audio':
        return tg.sendAudio(chatId, input, extra);
      default:
        return tg.sendDocument(chatId, input, extra);
    }
  };
  return o.call(send).catch((e: unknown) => {
    const fallback = item.fallback;
    if (!isBadRequest(e) || item.kind === 'document' || !fallback) throw e;
    return o.call(() => tg.sendDocument(chatId, { source: fallback.bytes, filename: fallback.name }, extra));
  });
}
