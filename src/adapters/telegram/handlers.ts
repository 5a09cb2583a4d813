import type { Context, Telegram } from 'telegraf';
import type { Chat, Message, User } from 'telegraf/types';
import { type CommandReply, commandByName, type CommandSpec } from '../../../commands/index.ts';
import type { ChatService } from '../../core/chat/chat-service.ts';
import { t, toLocale, type UserMessage } from '#shared/i18n.ts';
import { type JobRecord, ownerKey, type Requester } from '../../core/jobs/types.ts';
import { onCallback, type PressDeps, topicOf, type Where } from './callbacks.ts';
import { messagesText } from '../../core/chat/messages-text.ts';
import { AdminStatus } from './admin-status.ts';
import { isPrivateReply, replyPrivately, type TextReply } from './private-reply.ts';
import { onResend } from './resend.ts';
import { onReveal } from './reveal.ts';
import { shownAt } from '../../core/safety/shown-at.ts';
import type { TelegramDeps } from './deps.ts';
import type { TelegramFrontEnd, TelegramTarget } from './front-end.ts';
import { replyTo } from './results.ts';
import { settingsMenu } from './settings-menu.ts';
import {
  commandOf,
  hasBigPhoto,
  isGroup,
  parseOptions,
  photoToFetch,
  placeOf,
  replyOf,
  requesterOf,
  targetFor,
} from './to-invocation.ts';

type HandlerDeps = Pick<TelegramDeps, 'chat' | 'results' | 'templates' | 'config' | 'log' | 'jobs'> &
  ConstructorParameters<typeof AdminStatus>[1];

/**
 * Updates → ChatService calls. Handlers only validate, enqueue and return (telegraf awaits them before
 * polling again); downloads and re-posts run in the background under the same error boundary.
 */
export class TelegramHandlers {
  readonly #deps: HandlerDeps;
  readonly #chat: ChatService;
  readonly #fe: TelegramFrontEnd;
  readonly #tg: Telegram;
  readonly #onError: (error: unknown, ctx?: Context) => void;
  readonly #admins: AdminStatus;
  readonly #presses: PressDeps;
  /** The bot's username, as telegraf learned it at start (for "start the bot" hints). */
  #botName = '';

  constructor(
    deps: HandlerDeps,
    fe: TelegramFrontEnd,
    tg: Telegram,
    onError: (error: unknown, ctx?: Context) => void,
  ) {
    this.#deps = deps;
    this.#chat = deps.chat;
    this.#fe = fe;
    this.#tg = tg;
    this.#onError = onError;
    this.#admins = new AdminStatus(tg, deps);
    this.#presses = {
      chat: this.#chat,
      fe,
      tg,
      admins: this.#admins,
      say: (where, m) => this.#say(where, m),
      show: (job, where) => this.#show(job, where),
      background: (ctx, work) => this.#background(ctx, work),
      reveal: (ctx, press) => {
        const call = <T>(chatId: number, fn: () => Promise<T>) => fe.call(chatId, fn);
        const { results, log } = deps;
        return onReveal({ chat: this.#chat, results, tg, limits: fe.limits, log, call }, ctx, press);
      },
      resend: (ctx, jobId) =>
        onResend(
          { chat: this.#chat, results: deps.results, jobs: deps.jobs, fe, tg, log: deps.log },
          ctx,
          jobId,
        ),
      deliveryFor: (chat, from, replyTo, requester, topicId) =>
        this.#deliveryFor(chat, from, replyTo, requester, topicId),
      settingsPress: (options, from, chat, messageId, where) =>
        this.#settingsButton(options, from, chat, messageId, where),
    };
  }

  async onMessage(ctx: Context): Promise<void> {
    const msg = ctx.message;
    if (!msg || !ctx.from || !ctx.chat) return;
    const plainText = this.#deps.config.privateChatPlainText;
    this.#botName = ctx.botInfo.username;
    const parsed = commandOf(msg, ctx.botInfo.username, ctx.chat.type, plainText);
    const spec = parsed && commandByName(parsed.name === 'start' ? 'help' : parsed.name);
    const where = { chatId: ctx.chat.id, replyTo: msg.message_id, locale: toLocale(ctx.from.language_code) };
    // A photo alone in a private chat is not ignored: say how to make something of it.
    if (!parsed && plainText && ctx.chat.type === 'private' && 'photo' in msg)
      return this.#say(where, { code: 'telegram.photoNeedsPrompt' });
    if (!parsed || !spec) return;
    const photo = spec.name === 'imagine' ? (photoToFetch(msg) ?? photoToFetch(replyOf(msg))) : undefined;
    const run = (image?: { bytes: Uint8Array }) =>
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
      await run({ bytes: new Uint8Array(await res.arrayBuffer()) });
    });
  }

  /** Button presses: see `callbacks.ts`. */
  onCallback(ctx: Context): Promise<void> {
    return onCallback(this.#presses, ctx);
  }

  async #run(
    spec: CommandSpec,
    raw: string,
    from: User,
    chat: Chat,
    msg: Message,
    where: Where,
    image?: { bytes: Uint8Array },
  ): Promise<void> {
    const isAdmin = await this.#admins.forCommand(spec, chat, from.id);
    if (spec.admin && !isAdmin) return this.#say(where, { code: 'chat.admin.denied' });
    const { options, text } = parseOptions(spec, raw);
    const requester = {
      ...requesterOf(from, chat),
      ...(isAdmin && isGroup(chat.type) ? { isChatAdmin: true } : {}),
    };
    const delivery =
      spec.name === 'imagine'
        ? await this.#deliveryFor(chat, from, msg.message_id, requester, topicOf(msg))
        : targetFor(chat, from, msg.message_id);
    const reply = await spec.run({
      chat: this.#chat,
      requester,
      place: placeOf(chat, msg as Message.TextMessage),
      locale: where.locale,
      isAdmin,
      options,
      text,
      image,
      delivery,
      idempotencyKey: `tg:${chat.id}:${msg.message_id}`,
    });
    if (isPrivateReply(reply)) return this.#replyPrivately(reply, from, where);
    await this.#render(
      reply,
      where,
      spec.name === 'settings' && Object.keys(options).length === 0 ? requester : undefined,
    );
  }

  /** To the person's private chat; in a group that chat only learns to start the bot when it cannot. */
  async #replyPrivately(reply: TextReply, from: User, where: Where): Promise<void> {
    const { results, log } = this.#deps;
    const call = <T>(chatId: number, fn: () => Promise<T>) => this.#fe.call(chatId, fn);
    const deps = { tg: this.#tg, results, limits: this.#fe.limits, log, call };
    const sent = await replyPrivately(deps, reply, from.id, where.locale);
    if (!sent && where.chatId !== from.id) {
      await this.#say(where, { code: 'telegram.safety.startFirst', params: { bot: this.#botName } });
    }
  }

  async #render(reply: CommandReply, where: Where, settingsFor?: Requester): Promise<void> {
    if (reply.kind === 'job') return; // the status message comes from the job's updates
    if (reply.kind === 'error') return this.#say(where, reply.message);
    if (reply.kind === 'show') return this.#background(undefined, () => this.#show(reply.job, where));
    const text = messagesText(reply.messages, where.locale);
    const extra = settingsFor
      ? { reply_markup: { inline_keyboard: await settingsMenu(this.#chat, settingsFor, where.locale) } }
      : {};
    await this.#fe.call(where.chatId, () =>
      this.#tg.sendMessage(where.chatId, text.slice(0, 4096), { ...extra, ...replyTo(where.replyTo) }),
    );
  }

  async #settingsButton(
    options: Record<string, string | number | boolean>,
    from: User,
    chat: Chat,
    messageId: number,
    where: Where,
  ): Promise<void> {
    const requester = requesterOf(from, chat);
    const reply = await commandByName('settings')!.run({
      chat: this.#chat,
      requester,
      place: placeOf(chat),
      locale: where.locale,
      isAdmin: false,
      options,
      text: '',
      delivery: targetFor(chat, from),
    });
    if (reply.kind !== 'text') return this.#render(reply, where);
    const text = messagesText(reply.messages, where.locale);
    const markup = { inline_keyboard: await settingsMenu(this.#chat, requester, where.locale) };
    await this.#fe
      .call(chat.id, () =>
        this.#tg.editMessageText(chat.id, messageId, undefined, text, { reply_markup: markup }),
      )
      .catch(() => undefined);
  }

  /**
   * Where a new job is shown: this chat, or the person's private chat when they chose private results in
   * a group. The group's preview setting travels with the job (and survives a restart).
   */
  async #deliveryFor(
    chat: Chat,
    from: User,
    replyTo: number,
    requester: Requester,
    topicId?: number,
  ): Promise<TelegramTarget> {
    const community = isGroup(chat.type) ? String(chat.id) : undefined;
    const [policy, settings] = await Promise.all([
      this.#chat.policies.get('telegram', community),
      community ? this.#chat.resolve(requester).then((r) => this.#chat.settings.get(ownerKey(r))) : undefined,
    ]);
    const target = settings?.private
      ? targetFor({ id: from.id, type: 'private' }, from)
      : targetFor(chat, from, replyTo);
    // The topic names the place for the safety policy (a result sent privately keeps the group's).
    return {
      ...target,
      previews: policy.previews,
      ...(topicId !== undefined ? { topicId: String(topicId) } : {}),
    };
  }

  async #show(job: JobRecord, where: Where): Promise<void> {
    const result = await this.#deps.results.read(job);
    if (!result.ok) return this.#say(where, result.error);
    // The reader applied the decisions stored with the job; in a group the group's policy decides
    // again (the requester was told about withheld files the first time).
    const { chatId, locale, replyTo } = where;
    const group = chatId < 0 ? { platform: 'telegram', communityId: String(chatId) } : undefined;
    const shown = group ? await shownAt(this.#chat.safety, group, result.value) : result.value;
    await this.#fe.sendResultTo(
      job,
      shown,
      chatId,
      locale,
      replyTo,
      { withheldTold: true },
      async () => undefined,
    );
  }

  async #say(where: Where, m: UserMessage): Promise<void> {
    const text = t(where.locale, m.code, m.params);
    await this.#fe.call(where.chatId, () =>
      this.#tg.sendMessage(where.chatId, text.slice(0, 4096), replyTo(where.replyTo)),
    );
  }

  #background(ctx: Context | undefined, work: () => Promise<void>): void {
    void work().catch((e: unknown) => this.#onError(e, ctx));
  }
}
