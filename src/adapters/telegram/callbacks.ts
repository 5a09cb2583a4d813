import type { Context, Telegram } from 'telegraf';
import type { Chat, User } from 'telegraf/types';
import { authorizeButton, type ButtonOutcome, runButton } from '../../core/chat/button-dispatch.ts';
import type { ChatService } from '../../core/chat/chat-service.ts';
import type { JobRecord, Requester } from '../../core/jobs/types.ts';
import { type Locale, t, toLocale, type UserMessage } from '#shared/i18n.ts';
import type { AdminStatus } from './admin-status.ts';
import { type TelegramFrontEnd, type TelegramTarget, targetOf } from './front-end.ts';
import { parseResend } from './resend.ts';
import { parseReveal, type RevealPress } from './reveal.ts';
import { parseSettingsPress } from './settings-keyboard.ts';
import { requesterOf } from './to-invocation.ts';

export type Where = { chatId: number; replyTo?: number; locale: Locale };

/** What a button press needs of the rest of the Telegram front end. */
export interface PressDeps {
  chat: ChatService;
  fe: TelegramFrontEnd;
  tg: Telegram;
  admins: AdminStatus;
  say(where: Where, m: UserMessage): Promise<void>;
  show(job: JobRecord, where: Where): Promise<void>;
  background(ctx: Context | undefined, work: () => Promise<void>): void;
  /** "Show original" under a blurred result (see `reveal.ts`). */
  reveal(ctx: Context, press: RevealPress): Promise<void>;
  /** "Resend" under the note left when a result's send had an unknown outcome (see `resend.ts`). */
  resend(ctx: Context, jobId: string): Promise<void>;
  deliveryFor(
    chat: Chat,
    from: User,
    replyTo: number,
    requester: Requester,
    topicId?: number,
  ): Promise<TelegramTarget>;
  settingsPress(
    options: Record<string, string | number | boolean>,
    from: User,
    chat: Chat,
    messageId: number,
    where: Where,
  ): Promise<void>;
}

/** A callback query's one answer: a private alert only the presser sees (Telegram cuts it at 200). */
const alert = (ctx: Context, locale: Locale, m: UserMessage) =>
  ctx.answerCbQuery(t(locale, m.code, m.params).slice(0, 200), { show_alert: true });

/**
 * Button presses. Telegram shows a spinner until `answerCallbackQuery`, and it can be answered once, so
 * everything that is only for the presser is decided first and becomes that one answer, as a private
 * alert: a refusal (ownership from storage and the cached admin list), the seed of "Use seed", and a
 * variation or upscale this server cannot run now. Nothing of it is posted in a group. Only a press by
 * someone else in a group whose admin list is not cached waits for one `getChatAdministrators` call.
 */
export async function onCallback(deps: PressDeps, ctx: Context): Promise<void> {
  const q = ctx.callbackQuery;
  if (!q) return;
  const msg = q.message;
  if (!msg) return void (await ctx.answerCbQuery());
  const data = 'data' in q ? q.data : '';
  const reveal = parseReveal(data);
  // Reads the file from its backend and uploads it before the one answer: off the polling loop.
  if (reveal) return deps.background(ctx, () => deps.reveal(ctx, reveal));
  const resend = parseResend(data);
  if (resend) return deps.background(ctx, () => deps.resend(ctx, resend));
  const locale = toLocale(q.from.language_code);
  const by = requesterOf(q.from, msg.chat);
  const isAdmin = () => deps.admins.of(msg.chat, q.from.id, 1500);
  const gate = await authorizeButton(deps.chat, data, { requester: by, isAdmin });
  if (gate.kind === 'refused') return void (await alert(ctx, locale, gate.message));
  const where = { chatId: msg.chat.id, replyTo: msg.message_id, locale };
  if (gate.kind === 'allowed') {
    const { action, jobId } = gate.action;
    if (action === 'useSeed') {
      const seed = await deps.chat.useSeed(jobId);
      return void (await alert(ctx, locale, seed.ok ? seed.value : seed.error));
    }
    if (action === 'variation' || action === 'upscale') {
      const source = await deps.chat.show(jobId, by, gate.admin);
      if (source.ok && !deps.chat.canDerive(action, source.value))
        return void (await alert(ctx, locale, { code: `chat.cannot.${action}` }));
    }
  }
  await ctx.answerCbQuery();
  const settings = parseSettingsPress(data);
  if (settings) return deps.settingsPress(settings, q.from, msg.chat, msg.message_id, where);
  if (gate.kind !== 'allowed') return;
  const press = {
    requester: by,
    isAdmin,
    delivery: () => deps.deliveryFor(msg.chat, q.from, msg.message_id, by, topicOf(msg)),
    idempotencyKey: `tg:cb:${q.id}`,
  };
  const act = async () => outcome(deps, await runButton(deps.chat, gate, press), where, ctx);
  // Variation and upscale read the chosen image from its backend first: in the background.
  const slow = gate.action.action === 'variation' || gate.action.action === 'upscale';
  return slow ? deps.background(ctx, act) : act();
}

/** Shows what a press led to: a refusal, a result again, or Delete removing every message of the job. */
async function outcome(
  deps: PressDeps,
  o: ButtonOutcome,
  where: Where & { replyTo: number },
  ctx: Context,
): Promise<void> {
  if (o.kind === 'refused' || o.kind === 'text') return deps.say(where, o.message);
  if (o.kind === 'show') return deps.background(ctx, () => deps.show(o.job, where));
  if (o.kind !== 'deleted') return;
  const d = targetOf(o.job);
  const ids = new Set([
    ...(d?.resultIds ?? []),
    ...(d?.buttonsId ? [d.buttonsId] : []),
    ...(d?.resendNoteId ? [d.resendNoteId] : []),
    ...(d?.statusId && !d.statusGone ? [d.statusId] : []),
    where.replyTo,
  ]);
  for (const id of ids)
    await deps.fe.call(where.chatId, () => deps.tg.deleteMessage(where.chatId, id)).catch(() => undefined);
}

/** The forum topic a message is in (the safety policy can differ per topic). */
export const topicOf = (msg: object): number | undefined =>
  'is_topic_message' in msg && msg.is_topic_message === true && 'message_thread_id' in msg
    ? Number(msg.message_thread_id)
    : undefined;
