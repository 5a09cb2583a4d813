import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Message,
  MessageFlags,
  PermissionsBitField,
} from 'discord.js';
import { type CommandReply, commandByName } from '../../../commands/index.ts';
import { dispatchButton } from '../../core/chat/button-dispatch.ts';
import type { ChatService, Place } from '../../core/chat/chat-service.ts';
import { type Locale, t, toLocale, type UserMessage } from '#shared/i18n.ts';
import type { Requester } from '../../core/jobs/types.ts';
import { DeferralsFirst } from './deferrals-first.ts';
import { deferReplyForId } from './defer-reply.ts';
import type { DiscordDeps } from './deps.ts';
import { type DiscordFrontEnd, type DiscordTarget, expectedTarget } from './front-end.ts';
import {
  type Interaction,
  interactionTarget,
  isAgeRestricted,
  missingOf,
  NEEDED,
} from './interaction-target.ts';
import { originalPayload } from './original-file.ts';
import { type Payload, textPayload } from './render.ts';
import { shownIn } from './shown-here.ts';
import { download, slashOptions, tooBig, tooBigMessage } from './to-invocation.ts';

const { Ephemeral } = MessageFlags;
/** Platform events → ChatService calls; every handler acknowledges before anything else. */
export class DiscordHandlers {
  readonly #chat: ChatService;
  readonly #deps: Pick<DiscordDeps, 'results' | 'clock' | 'config' | 'admins' | 'jobs' | 'links'>;
  readonly #fe: DiscordFrontEnd;
  readonly #first: DeferralsFirst;
  constructor(
    deps: Pick<DiscordDeps, 'chat' | 'results' | 'clock' | 'config' | 'admins' | 'jobs' | 'links'>,
    fe: DiscordFrontEnd,
  ) {
    this.#chat = deps.chat;
    this.#deps = deps;
    this.#fe = fe;
    this.#first = new DeferralsFirst(deps.clock);
  }

  async command(i: ChatInputCommandInteraction): Promise<void> {
    const spec = commandByName(i.commandName);
    if (!spec) return;
    // The flag comes from memory: nothing may be awaited before the deferral (Discord's 3 seconds)
    // but, with several processes, one store write: the request is recorded before it is answered, so
    // that if this process dies before its job exists another tells the person (`JobEngine.expect`).
    const results = spec.name === 'imagine';
    const priv = !!spec.private || (results && !!this.#chat.cachedSettings(this.#account(i))?.private);
    const key = `discord:${i.id}`;
    if (results) await this.#deps.jobs.expect(key, expectedTarget(i)).catch(() => {});
    // The answer names the deferred reply's message: no second request (`fetchReply`) to learn it.
    const replyId = await this.#first.send(() => deferReplyForId(i, priv));
    await this.#first.settled();
    await this.#command(i, spec, results, priv, replyId);
    // Answered (a failure is answered by the caller's boundary, or else by the process that notices).
    if (results) await this.#deps.jobs.fulfilled(key).catch(() => {});
  }

  async #command(
    i: ChatInputCommandInteraction,
    spec: NonNullable<ReturnType<typeof commandByName>>,
    results: boolean,
    privFirst: boolean,
    replyId: string | undefined,
  ): Promise<void> {
    let priv = privFirst;
    const locale = toLocale(i.locale);
    const admin = this.#isAdmin(i);
    if (spec.admin && !admin) return this.#edit(i, textPayload([{ code: 'chat.admin.denied' }], locale));
    const options = slashOptions(spec, (name) => i.options.get(name)?.value);
    const file = i.options.getAttachment('image');
    if (file && tooBig(file.size)) return this.#fail(i, tooBigMessage, priv);
    const image = file ? { bytes: await download(file.url), name: file.name } : undefined;
    let messageId: string;
    let moved: string | undefined;
    if (results && !priv && (await this.#chat.settingsOf(this.#requester(i, admin))).private) {
      // Private results, not known in memory before the deferral: move the status to an ephemeral followup.
      priv = true;
      await i.deleteReply();
      messageId = (await i.followUp({ content: '⏳', flags: Ephemeral })).id;
      moved = messageId;
    } else {
      messageId = replyId ?? (await i.fetchReply()).id;
    }
    const previews = await this.#previews(i.guildId);
    const delivery = interactionTarget(i, messageId, locale, priv, previews, this.#deps.clock.now());
    // Each repeat of `--n` gets a status message of its own. Discord turns the first followup of an
    // untouched deferral into the reply itself, so the reply is touched before the first job.
    const deliveryFor = async (index: number, total: number) => {
      if (index === 0) {
        if (total > 1 && !moved) await i.editReply({ content: '⏳' });
        return delivery;
      }
      const followup = await i.followUp({ content: '⏳', ...(priv ? { flags: Ephemeral } : {}) });
      return interactionTarget(i, followup.id, locale, priv, previews, this.#deps.clock.now());
    };
    const reply = await spec.run({
      chat: this.#chat,
      requester: this.#requester(i, admin),
      place: this.#place(i),
      locale,
      isAdmin: admin,
      options,
      text: String(options.prompt ?? ''),
      image,
      delivery,
      deliveryFor,
      idempotencyKey: `discord:${i.id}`,
    });
    await this.#render(i, reply, locale, delivery, priv, moved);
  }

  async autocomplete(i: AutocompleteInteraction): Promise<void> {
    const spec = commandByName(i.commandName);
    const focused = i.options.getFocused(true);
    const choices = spec?.complete?.(focused.name, String(focused.value), {
      chat: this.#chat,
      place: this.#place(i),
      locale: toLocale(i.locale),
    });
    await i.respond((choices ?? []).slice(0, 25));
  }

  async button(i: ButtonInteraction): Promise<void> {
    await this.#first.send(() => i.deferUpdate());
    await this.#first.settled();
    const locale = toLocale(i.locale);
    const admin = this.#isAdmin(i);
    let status: string | undefined;
    const o = await dispatchButton(this.#chat, i.customId, {
      requester: this.#requester(i, admin),
      isAdmin: () => admin,
      delivery: async () => {
        status = (await i.followUp({ content: '⏳' })).id;
        return interactionTarget(
          i,
          status,
          locale,
          false,
          await this.#previews(i.guildId),
          this.#deps.clock.now(),
        );
      },
      idempotencyKey: `discord:${i.id}`,
    });
    if (o.kind === 'deleted') return void (await i.deleteReply());
    if (o.kind !== 'refused' && o.kind !== 'text') return;
    // Refusals (a new job's too: its ⏳ goes) and the seed are for the person who pressed, no one else.
    if (status) await i.webhook.deleteMessage(status);
    await i.followUp({ ...textPayload([o.message], locale).body, flags: Ephemeral });
  }

  /** `!imagine …` or `@bot …`: the same grammar, answered with a channel message that becomes the status. */
  async message(m: Message, prefix: string, botId: string): Promise<void> {
    if (m.author.bot || !m.inGuild()) return;
    const mention = new RegExp(`^<@!?${botId}>`);
    if (!m.content.startsWith(prefix) && !mention.test(m.content)) return;
    const text = m.content.replace(mention, '').replace(prefix, '').trim();
    const locale = toLocale(m.guild.preferredLocale);
    const status = await m.reply(text ? '⏳' : t(locale, 'discord.usage', { prefix }));
    if (!text) return;
    const perms = m.channel.permissionsFor(m.client.user);
    const previews = await this.#previews(m.guildId);
    const targetOf = (messageId: string): DiscordTarget => ({
      platform: 'discord',
      channelId: m.channelId,
      messageId,
      appId: m.client.application.id,
      viaChannel: true,
      locale,
      guildId: m.guildId,
      ...(isAgeRestricted(m.channel) ? { adult: true } : {}),
      sizeLimit: 10 * 1024 * 1024,
      previews,
      canPost: !perms || perms.has(NEEDED),
      ...(perms ? { missing: missingOf(perms) } : {}),
    });
    const file = m.attachments.find((a) => !!a.contentType?.startsWith('image/'));
    if (file && tooBig(file.size)) return void (await status.edit(textPayload([tooBigMessage], locale).body));
    const image = file ? { bytes: await download(file.url), name: file.name } : undefined;
    const member = m.member;
    const r = await this.#chat.imagine({
      requester: {
        platform: 'discord',
        userId: m.author.id,
        displayName: m.author.displayName,
        communityId: m.guildId,
        roles: member ? [...member.roles.cache.keys()] : [],
      },
      text,
      image,
      place: {
        communityId: m.guildId,
        channelId: m.channelId,
        nsfwAllowed: 'nsfw' in m.channel && !!m.channel.nsfw,
      },
      delivery: targetOf(status.id),
      deliveryFor: async (index) => targetOf(index === 0 ? status.id : (await m.reply('⏳')).id),
      idempotencyKey: `discord:msg:${m.id}`,
    });
    if (!r.ok) await status.edit(textPayload([r.error], locale).body);
  }

  async #render(
    i: ChatInputCommandInteraction,
    reply: CommandReply,
    locale: Locale,
    target: DiscordTarget,
    priv: boolean,
    status?: string,
  ): Promise<void> {
    switch (reply.kind) {
      case 'job':
        return;
      case 'text':
        if (!reply.original || !priv) return this.#edit(i, textPayload(reply.messages, locale), status);
        // An admin's original: only ever in an ephemeral reply, never in the channel.
        return this.#edit(i, await originalPayload(this.#deps, reply, locale, i.attachmentSizeLimit), status);
      case 'error':
        return this.#fail(i, reply.message, priv, status);
      case 'show': {
        const result = await this.#deps.results.read(reply.job);
        if (!result.ok) return this.#fail(i, result.error, priv, status);
        const shown = await shownIn(this.#chat.safety, result.value, this.#place(i));
        return this.#edit(i, await this.#fe.resultFor(reply.job, shown, target), status);
      }
    }
  }

  /** A refusal: public deferrals are removed and the reason goes only to the person. */
  async #fail(
    i: ChatInputCommandInteraction,
    message: UserMessage,
    priv = false,
    status?: string,
  ): Promise<void> {
    const body = textPayload([message], toLocale(i.locale)).body;
    if (priv) return this.#edit(i, { body }, status);
    await i.deleteReply();
    await i.followUp({ ...body, flags: Ephemeral });
  }

  /** Edits the reply, or the ephemeral followup `status` that replaced it. */
  async #edit(i: Interaction, p: Payload, status?: string): Promise<void> {
    await i.editReply({
      ...p.body,
      files: (p.files ?? []).map((f) => ({ attachment: f.data as Buffer, name: f.name })),
      ...(status ? { message: status } : {}),
    } as never);
  }

  #isAdmin(i: Interaction): boolean {
    return (
      !!i.memberPermissions?.has(PermissionsBitField.Flags.ManageGuild) ||
      this.#deps.admins.includes(i.user.id)
    );
  }

  #account(i: Interaction): { platform: 'discord'; userId: string } {
    return { platform: 'discord', userId: i.user.id };
  }

  #requester(i: Interaction, admin: boolean): Requester {
    const roles = i.member?.roles;
    return {
      platform: 'discord',
      userId: i.user.id,
      displayName: i.user.globalName ?? i.user.username,
      ...(i.guildId ? { communityId: i.guildId } : {}),
      roles: Array.isArray(roles) ? roles : roles ? [...roles.cache.keys()] : [],
      isChatAdmin: admin,
      locale: i.locale,
    };
  }

  #place(i: Interaction | AutocompleteInteraction): Place {
    const ch = i.channel;
    return {
      communityId: i.guildId ?? undefined,
      channelId: i.channelId ?? undefined,
      nsfwAllowed: !i.guildId || (!!ch && 'nsfw' in ch && ch.nsfw),
    };
  }

  async #previews(guildId: string | null): Promise<boolean> {
    if (!this.#deps.config.previews) return false;
    return (await this.#chat.policies.get('discord', guildId ?? undefined)).previews;
  }
}
