import type { Telegram } from 'telegraf';
import type { CommandReply } from '../../../commands/index.ts';
import { messagesText } from '../../core/chat/messages-text.ts';
import type { Logger } from '../../core/logger.ts';
import type { ResultReader } from '../../core/ports/result-reader.ts';
import { type Locale, t } from '#shared/i18n.ts';
import { cannotWrite } from './api-errors.ts';
import { outgoingOf, type TelegramMediaLimits } from './result-plan.ts';
import { sendOne } from './results.ts';

export type TextReply = Extract<CommandReply, { kind: 'text' }>;

export interface PrivateReplyDeps {
  tg: Telegram;
  results: ResultReader;
  limits: TelegramMediaLimits;
  log: Logger;
  /** Runs one call to a chat, waiting out its 429s. */
  call<T>(chatId: number, fn: () => Promise<T>): Promise<T>;
}

/**
 * A reply that must not appear in the chat: an admin's `/admin safety original` (a file). Other `private`
 * texts (Discord's ephemeral answers) are answered in place on Telegram, as they always were.
 */
export const isPrivateReply = (reply: CommandReply): reply is TextReply =>
  reply.kind === 'text' && reply.original !== undefined;

/**
 * Sends a private reply to the person's private chat with the bot, never to the group: its text, then
 * the original file it names. False when the bot may not write to them (they never started it).
 */
export async function replyPrivately(
  deps: PrivateReplyDeps,
  reply: TextReply,
  userId: number,
  locale: Locale,
): Promise<boolean> {
  const text = messagesText(reply.messages, locale).slice(0, 4096);
  try {
    await deps.call(userId, () => deps.tg.sendMessage(userId, text));
  } catch (e) {
    if (cannotWrite(e)) return false;
    throw e;
  }
  const original = reply.original;
  if (!original) return true;
  const read = await deps.results.read(original.job);
  const file = read.ok ? read.value.files[original.output] : undefined;
  // The original as it is, whatever the safety stage decided for the group.
  const item = file ? await outgoingOf(file, { limits: deps.limits, asDocuments: false }) : undefined;
  if (!item) {
    const gone = read.ok
      ? t(locale, 'telegram.safety.revealGone')
      : t(locale, read.error.code, read.error.params);
    await deps.call(userId, () => deps.tg.sendMessage(userId, gone));
    return true;
  }
  await sendOne(deps.tg, userId, item, { call: (fn) => deps.call(userId, fn) }, {});
  return true;
}
