import type { Context, Telegram } from 'telegraf';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import type { ChatService } from '../../core/chat/chat-service.ts';
import type { JobResult } from '../../core/jobs/ports.ts';
import type { JobRecord } from '../../core/jobs/types.ts';
import type { JobsPort } from '../../core/ports/jobs-port.ts';
import { JOB_ID_PATTERN } from '../../core/jobs/job-id.ts';
import type { Logger } from '../../core/logger.ts';
import type { ResultReader } from '../../core/ports/result-reader.ts';
import { type Locale, t, toLocale } from '#shared/i18n.ts';
import { describe, isGone, isNotModified } from './api-errors.ts';
import { type TelegramFrontEnd, type TelegramTarget, targetOf } from './front-end.ts';
import { type Delivered, replyTo } from './results.ts';
import { requesterOf } from './to-invocation.ts';

/**
 * The Bot API has no idempotency key: a send whose answer was lost (the process died between the send
 * and recording it) may or may not be in the chat. Such a step is never sent again on its own; the
 * person is told and gets a Resend button (`rs:<job>`) instead.
 */
const PREFIX = 'rs';

export const resendData = (jobId: string): string => `${PREFIX}:${jobId}`;

/** A Resend press's job id, or undefined for any other (or forged) data. */
export function parseResend(data: string): string | undefined {
  const [prefix, jobId, ...rest] = data.split(':');
  return prefix === PREFIX && rest.length === 0 && jobId && JOB_ID_PATTERN.test(jobId) ? jobId : undefined;
}

/** A step was started and not recorded as done: what it sent, if anything, is unknown. */
export const outcomeUnknown = (d: Delivered): boolean =>
  !!d.sending || (d.resultIds === undefined && (d.partIds?.length ?? 0) > 0);

export const resendMarkup = (jobId: string, locale: Locale): InlineKeyboardMarkup => ({
  inline_keyboard: [[{ text: t(locale, 'telegram.resend.button'), callback_data: resendData(jobId) }]],
});

export interface NoteDeps {
  tg: Telegram;
  call<T>(fn: () => Promise<T>): Promise<T>;
  save(patch: Delivered & { statusGone?: boolean }): Promise<void>;
}

/**
 * Says the result may already be above, with Resend: in the status message when it is still there (a
 * text one; a preview photo would look like a result, so it goes), else in one new reply to the request.
 * Recorded with its id, so a further repeated delivery posts nothing.
 */
export async function postResendNote(
  deps: NoteDeps,
  jobId: string,
  d: TelegramTarget,
  status: { id?: number; media: boolean },
): Promise<void> {
  if (d.resendNoteId !== undefined) return;
  const text = t(d.locale, 'telegram.resend.note');
  const reply_markup = resendMarkup(jobId, d.locale);
  let noteId: number | undefined;
  if (status.id !== undefined && !status.media) {
    const id = status.id;
    noteId = await deps
      .call(() => deps.tg.editMessageText(d.chatId, id, undefined, text, { reply_markup }))
      .then(
        () => id,
        (e: unknown) => {
          if (isNotModified(e)) return id;
          if (isGone(e)) return undefined;
          throw e;
        },
      );
  } else if (status.id !== undefined) {
    const id = status.id;
    await deps.call(() => deps.tg.deleteMessage(d.chatId, id)).catch(() => undefined);
  }
  if (noteId === undefined) {
    const m = await deps.call(() =>
      deps.tg.sendMessage(d.chatId, text, { reply_markup, ...replyTo(d.replyTo) }),
    );
    noteId = m.message_id;
  }
  await deps.save({ resendNoteId: noteId, statusGone: true });
}

export interface ResendDeps {
  chat: ChatService;
  results: ResultReader;
  jobs: Pick<JobsPort, 'get' | 'updateDelivery'>;
  fe: TelegramFrontEnd;
  tg: Telegram;
  log: Logger;
}

const inFlight = new Set<string>();

/**
 * Resend: only the requester may press it (others get a private alert). It sends what the delivery
 * record lacks (the whole result, or only its buttons message), read again from its backend and shown
 * as the safety stage decided the first time, and records it; the note then goes.
 */
export async function onResend(deps: ResendDeps, ctx: Context, jobId: string): Promise<void> {
  const q = ctx.callbackQuery;
  if (!q?.message) return;
  const locale = toLocale(q.from.language_code);
  const answer = (code: string, alert = true) =>
    ctx.answerCbQuery(t(locale, code).slice(0, 200), { show_alert: alert });
  const job = await deps.chat.show(jobId, requesterOf(q.from, q.message.chat), false);
  if (!job.ok)
    return void (await answer(
      job.error.code === 'chat.notYours' ? 'telegram.resend.notYours' : job.error.code,
    ));
  if (inFlight.has(jobId)) return void (await ctx.answerCbQuery());
  inFlight.add(jobId);
  try {
    const read = await deps.results.read(job.value);
    if (!read.ok) return void (await answer(read.error.code));
    // The reader applied the safety decisions stored with the job.
    const sent = await resend(deps, job.value, read.value);
    await (sent ? ctx.answerCbQuery() : answer('telegram.resend.already'));
  } catch (e) {
    deps.log.warn({ job: jobId, err: describe(e) }, 'telegram resend failed');
    await answer('telegram.failed').catch(() => undefined);
  } finally {
    inFlight.delete(jobId);
  }
}

/** Sends what the record lacks and records it, then removes the note; false when nothing lacked. */
async function resend(deps: ResendDeps, job: JobRecord, result: JobResult): Promise<boolean> {
  const d = targetOf((await deps.jobs.get(job.id)) ?? job);
  const delivered = d && missingPart(d);
  if (!d || !delivered) return false;
  await deps.fe.sendResultTo(job, result, d.chatId, d.locale, d.replyTo, delivered, (p) =>
    deps.jobs.updateDelivery(job.id, { ...p }).then(() => undefined),
  );
  const note = d.resendNoteId;
  if (note !== undefined)
    await deps.fe.call(d.chatId, () => deps.tg.deleteMessage(d.chatId, note)).catch(() => undefined);
  return true;
}

/** What a Resend sends: the whole result, or only its buttons message; undefined when nothing lacks. */
function missingPart(d: TelegramTarget): Delivered | undefined {
  if (d.resultIds !== undefined && d.buttonsId !== undefined) return undefined;
  const { sending: _s, partIds: _p, ...rest } = d;
  return { ...rest, withheldTold: true };
}
