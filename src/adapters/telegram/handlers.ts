import type { Context, Telegram } from 'telegraf';
import type { Chat, InlineKeyboardButton, Message, User } from 'telegraf/types';
import { type CommandReply, commandByName, type CommandSpec } from '../../../commands/index.ts';
import type { App } from '../../app.ts';
import { decodeAction } from '../../core/chat/actions.ts';
import type { ChatService } from '../../core/chat/chat-service.ts';
import { type Locale, toLocale, type UserMessage } from '../../core/i18n/i18n.ts';
import { readResult } from '../../core/jobs/read-result.ts';
import type { JobRecord } from '../../core/jobs/types.ts';
import type { Result } from '../../core/result.ts';
import { COMMON_ASPECTS } from '../../workflows/aspect.ts';
import { type TelegramFrontEnd, targetOf } from './front-end.ts';
import { replyTo } from './results.ts';
import {
  isGroup,
  parseCommand,
  parseOptions,
  photoToFetch,
  placeOf,
  requesterOf,
  targetFor,
} from './to-invocation.ts';

type Where = { chatId: number; replyTo?: number; locale: Locale };

/**
 * Updates → ChatService calls. Handlers only validate, enqueue and return (telegraf awaits them before
 * polling again); downloads and re-posts run in the background under the same error boundary.
 */
export class TelegramHandlers {
  readonly #app: App;
  readonly #chat: ChatService;
  readonly #fe: TelegramFrontEnd;
  readonly #tg: Telegram;
  readonly #onError: (error: unknown, ctx?: Context) => void;

  constructor(
    chat: ChatService,
    fe: TelegramFrontEnd,
    tg: Telegram,
    onError: (error: unknown, ctx?: Context) => void,
  ) {
    this.#app = chat.app;
    this.#chat = chat;
    this.#fe = fe;
    this.#tg = tg;
    this.#onError = onError;
  }

  async onMessage(ctx: Context): Promise<void> {
    const msg = ctx.message;
    if (!msg || !ctx.from || !ctx.chat) return;
    const text = 'text' in msg ? msg.text : 'caption' in msg ? (msg.caption ?? '') : '';
    const entities =
      ('text' in msg ? msg.entities : 'caption' in msg ? msg.caption_entities : undefined) ?? [];
    const parsed = parseCommand(
      text,
      entities,
      ctx.botInfo.username,
      ctx.chat.type,
      this.#app.config.telegram.privateChatPlainText,
    );
    const spec = parsed && commandByName(parsed.name === 'start' ? 'help' : parsed.name);
    if (!parsed || !spec) return;
    const where = { chatId: ctx.chat.id, replyTo: msg.message_id, locale: toLocale(ctx.from.language_code) };
    const photo = spec.name === 'imagine' ? (photoToFetch(msg) ?? photoToFetch(replyOf(msg))) : undefined;
    const run = (image?: { bytes: Uint8Array; mime: string }) =>
      this.#run(spec, parsed.text, ctx.from!, ctx.chat!, msg, where, image);
    if (!photo) {
      if (spec.name === 'imagine' && hasBigPhoto(msg))
        return this.#say(where, { code: 'telegram.imageTooBig' });
      if (parsed.name === 'start') await this.#say(where, { code: 'telegram.start' });
      return run();
    }
    // A download must not hold up polling: fetch the photo and submit in the background.
    this.#background(ctx, async () => {
      const link = await this.#tg.getFileLink(photo.fileId);
      const res = await fetch(link);
      if (!res.ok) throw new Error(`photo download failed: HTTP ${res.status}`);
      await run({ bytes: new Uint8Array(await res.arrayBuffer()), mime: 'image/jpeg' });
    });
  }

  async onCallback(ctx: Context): Promise<void> {
    const q = ctx.callbackQuery;
    if (!q) return;
    await ctx.answerCbQuery(); // first, before any other work: Telegram shows a spinner until then
    const msg = q.message;
    if (!('data' in q) || !msg) return;
    const where = { chatId: msg.chat.id, replyTo: msg.message_id, locale: toLocale(q.from.language_code) };
    if (q.data.startsWith('cs:'))
      return this.#settingsButton(q.data, q.from, msg.chat, msg.message_id, where);
    const a = decodeAction(q.data);
    if (!a) return;
    const by = requesterOf(q.from, msg.chat);
    const delivery = targetFor(msg.chat, q.from, msg.message_id);
    const key = `tg:cb:${q.id}`;
    const asAdmin = async <T>(fn: (admin: boolean) => Promise<Result<T, UserMessage>>) => {
      const r = await fn(false);
      return !r.ok && r.error.code === 'chat.notYours' && (await this.#isAdmin(msg.chat, q.from.id))
        ? fn(true)
        : r;
    };
    switch (a.action) {
      case 'reroll':
        return this.#report(where, await this.#chat.reroll(a.jobId, by, delivery, key));
      case 'upscale':
      case 'variation':
        // Reads the chosen image from its backend first: in the background.
        return this.#background(ctx, async () =>
          this.#report(
            where,
            await this.#chat.derive(a.action as 'upscale', a.jobId, a.index ?? 1, by, delivery, key),
          ),
        );
      case 'useSeed': {
        const r = await this.#chat.useSeed(a.jobId);
        return this.#say(where, r.ok ? r.value : r.error);
      }
      case 'cancel':
        return this.#report(where, await asAdmin((admin) => this.#chat.cancel(a.jobId, by, admin)));
      case 'delete': {
        const r = await asAdmin((admin) => this.#chat.delete(a.jobId, by, admin));
        if (!r.ok) return this.#report(where, r);
        const d = targetOf(r.value);
        const ids = new Set([
          ...(d?.resultIds ?? []),
          ...(d?.buttonsId ? [d.buttonsId] : []),
          msg.message_id,
        ]);
        for (const id of ids)
          await this.#fe
            .call(msg.chat.id, () => this.#tg.deleteMessage(msg.chat.id, id))
            .catch(() => undefined);
        return;
      }
      case 'show': {
        const r = await this.#chat.show(a.jobId, by, await this.#isAdmin(msg.chat, q.from.id));
        return r.ok ? this.#background(ctx, () => this.#show(r.value, where)) : this.#report(where, r);
      }
    }
  }

  async #run(
    spec: CommandSpec,
    raw: string,
    from: User,
    chat: Chat,
    msg: Message,
    where: Where,
    image?: { bytes: Uint8Array; mime: string },
  ): Promise<void> {
    const isAdmin =
      spec.name === 'imagine' || spec.name === 'help' ? false : await this.#isAdmin(chat, from.id);
    if (spec.admin && !isAdmin) return this.#say(where, { code: 'chat.admin.denied' });
    const { options, text } = parseOptions(spec, raw);
    const requester = {
      ...requesterOf(from, chat),
      ...(isAdmin && isGroup(chat.type) ? { isChatAdmin: true } : {}),
    };
    const reply = await spec.run({
      chat: this.#chat,
      requester,
      place: placeOf(chat, msg as Message.TextMessage),
      locale: where.locale,
      isAdmin,
      options,
      text,
      image,
      delivery: targetFor(chat, from, msg.message_id),
      idempotencyKey: `tg:${chat.id}:${msg.message_id}`,
    });
    await this.#render(
      reply,
      where,
      spec.name === 'settings' && Object.keys(options).length === 0 ? from : undefined,
    );
  }

  async #render(reply: CommandReply, where: Where, settingsFor?: User): Promise<void> {
    if (reply.kind === 'job') return; // the status message comes from the job's updates
    if (reply.kind === 'error') return this.#say(where, reply.message);
    if (reply.kind === 'show') return this.#background(undefined, () => this.#show(reply.job, where));
    const text = reply.messages.map((m) => this.#app.t(where.locale, m.code, m.params)).join('\n');
    const extra = settingsFor
      ? { reply_markup: { inline_keyboard: this.#settingsKeyboard(where.locale) } }
      : {};
    await this.#fe.call(where.chatId, () =>
      this.#tg.sendMessage(where.chatId, text.slice(0, 4096), { ...extra, ...replyTo(where.replyTo) }),
    );
  }

  /** `/settings` buttons: `cs:a:<aspect>`, `cs:w:<workflow>`, `cs:p:<0|1>` (all well under 64 bytes). */
  #settingsKeyboard(locale: Locale): InlineKeyboardButton[][] {
    const b = (text: string, data: string) => ({ text, callback_data: data });
    const flows = [...this.#app.templates.values()].filter(
      (t) => !t.params.image && Buffer.byteLength(`cs:w:${t.name}`) <= 64,
    );
    return [
      COMMON_ASPECTS.slice(0, 4).map((a) => b(a, `cs:a:${a}`)),
      COMMON_ASPECTS.slice(4).map((a) => b(a, `cs:a:${a}`)),
      ...flows.map((t) => [b(t.name, `cs:w:${t.name}`)]),
      [
        b(this.#app.t(locale, 'telegram.settings.private', { state: '✓' }), 'cs:p:1'),
        b(this.#app.t(locale, 'telegram.settings.private', { state: '✗' }), 'cs:p:0'),
      ],
    ];
  }

  async #settingsButton(
    data: string,
    from: User,
    chat: Chat,
    messageId: number,
    where: Where,
  ): Promise<void> {
    const [, kind, ...rest] = data.split(':');
    const value = rest.join(':');
    const name = ({ a: 'aspect', w: 'workflow', p: 'private' } as Record<string, string>)[kind ?? ''];
    if (!name) return;
    const spec = commandByName('settings')!;
    const reply = await spec.run({
      chat: this.#chat,
      requester: requesterOf(from, chat),
      place: placeOf(chat),
      locale: where.locale,
      isAdmin: false,
      options: { [name]: name === 'private' ? value === '1' : value },
      text: '',
      delivery: targetFor(chat, from),
    });
    if (reply.kind !== 'text') return this.#render(reply, where);
    const text = reply.messages.map((m) => this.#app.t(where.locale, m.code, m.params)).join('\n');
    const markup = { inline_keyboard: this.#settingsKeyboard(where.locale) };
    await this.#fe
      .call(chat.id, () =>
        this.#tg.editMessageText(chat.id, messageId, undefined, text, { reply_markup: markup }),
      )
      .catch(() => undefined);
  }

  async #show(job: JobRecord, where: Where): Promise<void> {
    const backend = job.backend ? this.#app.pool.get(job.backend) : undefined;
    if (!backend) return this.#say(where, { code: 'chat.noImage', params: { id: job.id, index: 1 } });
    const result = await readResult(backend.client, job.outputs ?? []);
    await this.#fe.sendResultTo(
      job,
      result,
      where.chatId,
      where.locale,
      where.replyTo,
      {},
      async () => undefined,
    );
  }

  async #report(where: Where, r: Result<unknown, UserMessage>): Promise<void> {
    if (!r.ok) await this.#say(where, r.error);
  }

  async #say(where: Where, m: UserMessage): Promise<void> {
    const text = this.#app.t(where.locale, m.code, m.params);
    await this.#fe.call(where.chatId, () =>
      this.#tg.sendMessage(where.chatId, text.slice(0, 4096), replyTo(where.replyTo)),
    );
  }

  /** Chat administrators (getChatMember) in groups, and the configured Telegram admins anywhere. */
  async #isAdmin(chat: Chat, userId: number): Promise<boolean> {
    if (this.#app.config.quotas.admins.telegram.map(String).includes(String(userId))) return true;
    if (!isGroup(chat.type)) return false;
    const member = await this.#tg.getChatMember(chat.id, userId).catch(() => undefined);
    return member?.status === 'creator' || member?.status === 'administrator';
  }

  #background(ctx: Context | undefined, work: () => Promise<void>): void {
    void work().catch((e: unknown) => this.#onError(e, ctx));
  }
}

const replyOf = (msg: Message): Message | undefined =>
  'reply_to_message' in msg ? (msg.reply_to_message as Message | undefined) : undefined;

const hasBigPhoto = (msg: Message): boolean => {
  const m = 'photo' in msg ? msg : replyOf(msg);
  return !!m && 'photo' in m && m.photo.length > 0;
};
