import type { Context, Telegram } from 'telegraf';
import type { InlineKeyboardButton } from 'telegraf/types';
import type { ChatService } from '../../core/chat/chat-service.ts';
import { JOB_ID_PATTERN } from '../../core/jobs/job-id.ts';
import type { Logger } from '../../core/logger.ts';
import type { ResultReader } from '../../core/ports/result-reader.ts';
import { type Locale, type MessageParams, t, toLocale } from '#shared/i18n.ts';
import { cannotWrite, describe } from './api-errors.ts';
import { outgoingOf, type TelegramMediaLimits } from './result-plan.ts';
import { sendOne } from './results.ts';
import { requesterOf } from './to-invocation.ts';

/** `so:<job>:<file>`: "Show original" under a blurred stand-in (a Telegram-only button, 64 bytes at most). */
const PREFIX = 'so';

export interface RevealPress {
  jobId: string;
  /** The file's index in the job's result. */
  index: number;
}

export const revealData = (p: RevealPress): string => `${PREFIX}:${p.jobId}:${p.index}`;

/** A "Show original" press, or undefined for any other (or forged) data. */
export function parseReveal(data: string): RevealPress | undefined {
  const [prefix, jobId, index, ...rest] = data.split(':');
  if (prefix !== PREFIX || rest.length > 0 || !jobId || !JOB_ID_PATTERN.test(jobId)) return undefined;
  return index && /^\d{1,3}$/.test(index) ? { jobId, index: Number(index) } : undefined;
}

/** One "Show original" button per blurred file (numbered when there are several), four to a row. */
export function revealRows(
  jobId: string,
  indices: readonly number[],
  locale: Locale,
): InlineKeyboardButton[][] {
  const buttons = indices.map((index, n) => ({
    text:
      indices.length === 1
        ? t(locale, 'telegram.safety.showOriginal')
        : t(locale, 'telegram.safety.showOriginalN', { n: n + 1 }),
    callback_data: revealData({ jobId, index }),
  }));
  const rows: InlineKeyboardButton[][] = [];
  for (let i = 0; i < buttons.length; i += 4) rows.push(buttons.slice(i, i + 4));
  return rows;
}

export interface RevealDeps {
  chat: ChatService;
  results: ResultReader;
  tg: Telegram;
  limits: TelegramMediaLimits;
  log: Logger;
  /** Runs one call to a chat, waiting out its 429s. */
  call<T>(chatId: number, fn: () => Promise<T>): Promise<T>;
}

/**
 * "Show original": only the requester gets it, and only in their private chat with the bot, so the
 * group never sees it. The press is answered once, after the send: a refusal, "start the bot first"
 * (a bot cannot open a private chat), or a short confirmation.
 */
export async function onReveal(deps: RevealDeps, ctx: Context, press: RevealPress): Promise<void> {
  const q = ctx.callbackQuery;
  if (!q?.message) return;
  const locale = toLocale(q.from.language_code);
  const answer = (code: string, params?: MessageParams, alert = true) =>
    ctx.answerCbQuery(t(locale, code, params).slice(0, 200), { show_alert: alert });
  try {
    await reveal(deps, ctx, press, answer);
  } catch (e) {
    // Only the presser hears of a failure: nothing is posted in the group.
    deps.log.warn({ job: press.jobId, err: describe(e) }, 'telegram reveal failed');
    await answer('telegram.failed').catch(() => undefined);
  }
}

type Answer = (code: string, params?: MessageParams, alert?: boolean) => Promise<unknown>;

async function reveal(deps: RevealDeps, ctx: Context, press: RevealPress, answer: Answer): Promise<void> {
  const q = ctx.callbackQuery!;
  const locale = toLocale(q.from.language_code);
  const job = await deps.chat.show(press.jobId, requesterOf(q.from, q.message!.chat), false);
  if (!job.ok) {
    const notYours = job.error.code === 'chat.notYours';
    return void (await answer(
      notYours ? 'telegram.safety.revealNotYours' : job.error.code,
      job.error.params,
    ));
  }
  const read = await deps.results.read(job.value);
  if (!read.ok) return void (await answer(read.error.code, read.error.params));
  const file = read.value.files[press.index];
  const item = file ? await outgoingOf(file, { limits: deps.limits, asDocuments: false }) : undefined;
  if (!item) return void (await answer('telegram.safety.revealGone'));
  const userId = q.from.id;
  const caption = t(locale, 'telegram.safety.revealCaption', { id: press.jobId });
  try {
    await sendOne(deps.tg, userId, item, { call: (fn) => deps.call(userId, fn) }, { caption });
  } catch (e) {
    if (cannotWrite(e))
      return void (await answer('telegram.safety.startFirst', { bot: ctx.botInfo.username }));
    deps.log.warn({ job: press.jobId, err: describe(e) }, 'telegram original not sent');
    return void (await answer('telegram.failed'));
  }
  await answer('telegram.safety.revealSent', undefined, false);
}
