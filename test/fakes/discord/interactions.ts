/**
 * Test-side interactions: builds INTERACTION_CREATE payloads the way Discord
 * sends them (incl. the fields discord.js 14.28 requires), dispatches them to
 * the owning shard, and tracks the 3-second deadline.
 */
import type { Deps } from './deps.ts';
import { Rules } from './errors.ts';
import { attachmentToApi, messageToApi } from './messages.ts';
import { channelToApi, DEFAULT_PERMISSIONS, memberToApi } from './payloads.ts';
import type { FakeMessage, InteractionRecord, Obj, StoredAttachment } from './state.ts';

export interface Ack {
  type: number;
  /** Fake-clock ms from dispatch to the accepted callback. */
  latencyMs: number;
}

export interface InteractionHandle {
  readonly id: string;
  readonly token: string;
  /** Live record (status, callbacks, ack timing, message ids). */
  record(): InteractionRecord;
  /** Resolves on the accepted initial response; rejects when the interaction did not respond in time. */
  readonly acknowledged: Promise<Ack>;
  /** Snapshot of the original response message (with its edit history), if any. */
  original(): FakeMessage | undefined;
  followups(): FakeMessage[];
}

export type OptionValue = string | number | boolean | StoredAttachment;
export type RawOption = {
  name: string;
  type: number;
  value?: unknown;
  options?: RawOption[];
  focused?: boolean;
};

export interface SlashCommandInput {
  guildId?: string;
  channelId: string;
  userId: string;
  name: string;
  /** Either `{ prompt: 'a cat', image: uploadedAttachment }` or raw API options. */
  options?: Record<string, OptionValue> | RawOption[];
  locale?: string;
}

export interface AutocompleteInput extends SlashCommandInput {
  /** Name of the option being typed; gets `focused: true`. */
  focused: string;
}

const snapshot = (m: FakeMessage | undefined): FakeMessage | undefined =>
  m ? structuredClone(m) : undefined;

export class InteractionDriver {
  private readonly deps: Deps;
  private readonly waiters = new Map<string, { resolve: (a: Ack) => void; reject: (e: Error) => void }>();
  private readonly timers = new Set<() => void>();
  /** Interactions not yet answered: a sweep runs on every callback, and looks only at these. */
  private readonly pending = new Set<InteractionRecord>();

  constructor(deps: Deps) {
    this.deps = deps;
  }

  onAck(rec: InteractionRecord): void {
    if (rec.ack) this.waiters.get(rec.id)?.resolve({ type: rec.ack.type, latencyMs: rec.ack.latencyMs });
    this.waiters.delete(rec.id);
  }

  /** Marks interactions past the deadline without an accepted response as did-not-respond. */
  sweep(): void {
    const { state, opts } = this.deps;
    const now = state.now();
    for (const rec of this.pending) {
      if (rec.status !== 'pending') this.pending.delete(rec);
      if (rec.status !== 'pending' || now - rec.dispatchedAt <= opts.ackDeadlineMs) continue;
      this.pending.delete(rec);
      rec.status = 'did-not-respond';
      state.violate({
        rule: Rules.didNotRespond,
        status: 404,
        code: 10062,
        message: `Interaction not acknowledged within ${opts.ackDeadlineMs} ms`,
        method: 'GATEWAY',
        path: `INTERACTION_CREATE ${rec.commandName ?? rec.customId ?? ''}`,
        interactionId: rec.id,
      });
      this.waiters
        .get(rec.id)
        ?.reject(new Error(`interaction ${rec.id} did not respond within ${opts.ackDeadlineMs} ms`));
      this.waiters.delete(rec.id);
    }
  }

  close(): void {
    for (const cancel of this.timers) cancel();
    this.timers.clear();
  }

  slashCommand(input: SlashCommandInput): InteractionHandle {
    const { data, commandName } = this.commandData(input);
    return this.dispatch(2, input, data, { commandName });
  }

  autocomplete(input: AutocompleteInput): Promise<unknown[]> {
    const { data, commandName } = this.commandData(input);
    const options = data['options'] as RawOption[];
    const focused = options.find((o) => o.name === input.focused);
    if (!focused) throw new Error(`autocomplete: option ${input.focused} not among the options`);
    focused.focused = true;
    focused.value = String(focused.value ?? '');
    delete data['resolved'];
    const handle = this.dispatch(4, input, data, { commandName });
    const choices = handle.acknowledged.then(() => handle.record().choices ?? []);
    choices.catch(() => {});
    return choices;
  }

  clickButton(input: { messageId: string; customId: string; userId: string }): InteractionHandle {
    const msg = this.deps.state.messages.get(input.messageId);
    if (!msg || msg.deleted) throw new Error(`clickButton: no message ${input.messageId}`);
    const component = findComponent(msg.components, input.customId);
    if (!component) throw new Error(`clickButton: message ${msg.id} has no component ${input.customId}`);
    if (component['disabled'] === true)
      throw new Error(`clickButton: component ${input.customId} is disabled`);
    const data = { custom_id: input.customId, component_type: Number(component['type']) };
    const base = {
      channelId: msg.channelId,
      userId: input.userId,
      ...(msg.guildId ? { guildId: msg.guildId } : {}),
    };
    return this.dispatch(3, base, data, { customId: input.customId, source: msg });
  }

  private commandData(input: SlashCommandInput): { data: Obj; commandName: string } {
    const { state } = this.deps;
    const registered = [
      ...(input.guildId ? (state.commands.get(input.guildId) ?? []) : []),
      ...(state.commands.get('global') ?? []),
    ].find((c) => c['name'] === input.name && Number(c['type'] ?? 1) === 1);
    const defs = (registered?.['options'] as RawOption[] | undefined) ?? [];
    const resolvedAttachments: Record<string, Obj> = {};
    const options: RawOption[] = Array.isArray(input.options)
      ? structuredClone(input.options)
      : Object.entries(input.options ?? {}).map(([name, value]) => {
          if (typeof value === 'object') {
            resolvedAttachments[value.id] = attachmentToApi(value);
            return { name, type: 11, value: value.id };
          }
          const declared = defs.find((d) => d.name === name)?.type;
          const inferred =
            typeof value === 'string' ? 3 : typeof value === 'boolean' ? 5 : Number.isInteger(value) ? 4 : 10;
          return { name, type: declared ?? inferred, value };
        });
    const data: Obj = {
      id: registered?.['id'] ?? state.nextId(),
      name: input.name,
      type: 1,
      options,
      ...(registered?.['guild_id'] ? { guild_id: registered['guild_id'] } : {}),
      ...(Object.keys(resolvedAttachments).length ? { resolved: { attachments: resolvedAttachments } } : {}),
    };
    return { data, commandName: input.name };
  }

  private dispatch(
    type: number,
    input: { guildId?: string; channelId: string; userId: string; locale?: string },
    data: Obj,
    extra: { commandName?: string; customId?: string; source?: FakeMessage },
  ): InteractionHandle {
    const { state, opts, gateway } = this.deps;
    const channel = state.channel(input.channelId);
    if (!channel) throw new Error(`no channel ${input.channelId}`);
    const user = state.users.get(input.userId);
    if (!user) throw new Error(`no user ${input.userId}`);
    const guildId = input.guildId ?? channel.guildId;
    const guild = guildId ? state.guilds.get(guildId) : undefined;
    if (guildId && !guild) throw new Error(`no guild ${guildId}`);
    if (guild && !guild.members.has(user.id))
      guild.members.set(user.id, {
        userId: user.id,
        roles: [],
        permissions: DEFAULT_PERMISSIONS,
        joinedAt: state.now(),
      });
    const id = state.nextId();
    const token = `aW50ZXJhY3Rpb246${id}:${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
    const member = guild?.members.get(user.id);
    const payload: Obj = {
      id,
      application_id: opts.applicationId,
      type,
      token,
      version: 1,
      ...(guild
        ? {
            guild_id: guild.id,
            guild: { id: guild.id, locale: guild.locale, features: [] },
            guild_locale: guild.locale,
            member: member ? memberToApi(state, member, true) : undefined,
            authorizing_integration_owners: { '0': guild.id },
            context: 0,
          }
        : {
            user: {
              id: user.id,
              username: user.username,
              discriminator: '0',
              global_name: user.globalName,
              avatar: null,
            },
            authorizing_integration_owners: { '0': user.id },
            context: 1,
          }),
      channel_id: channel.id,
      channel: channelToApi(channel),
      app_permissions: DEFAULT_PERMISSIONS,
      locale: input.locale ?? user.locale,
      entitlements: [],
      attachment_size_limit: state.attachmentSizeLimit,
      data,
      ...(extra.source ? { message: messageToApi(state, extra.source) } : {}),
    };
    const rec: InteractionRecord = {
      id,
      token,
      type,
      commandName: extra.commandName ?? null,
      customId: extra.customId ?? null,
      guildId: guild?.id ?? null,
      channelId: channel.id,
      userId: user.id,
      dispatchedAt: state.now(),
      delivered: false,
      status: 'pending',
      ack: null,
      callbacks: [],
      originalMessageId: null,
      sourceMessageId: extra.source?.id ?? null,
      followupIds: [],
      choices: null,
      modal: null,
      attachmentSizeLimit: state.attachmentSizeLimit,
      payload,
    };
    state.interactionsById.set(id, rec);
    this.pending.add(rec);
    state.interactionsByToken.set(token, rec);
    const acknowledged = new Promise<Ack>((resolve, reject) => this.waiters.set(id, { resolve, reject }));
    acknowledged.catch(() => {}); // awaited by tests that care; never an unhandled rejection
    const cancel = state.clock.after(opts.ackDeadlineMs + 10, () => {
      this.timers.delete(cancel);
      this.sweep();
    });
    this.timers.add(cancel);
    rec.delivered = gateway.dispatch(rec.guildId, 'INTERACTION_CREATE', payload) > 0;
    return {
      id,
      token,
      acknowledged,
      record: () => rec,
      original: () => snapshot(rec.originalMessageId ? state.messages.get(rec.originalMessageId) : undefined),
      followups: () => rec.followupIds.flatMap((m) => snapshot(state.messages.get(m)) ?? []),
    };
  }
}

function findComponent(list: unknown[], customId: string): Obj | undefined {
  for (const c of list) {
    if (typeof c !== 'object' || c === null) continue;
    const o = c as Obj;
    if (o['custom_id'] === customId) return o;
    const nested = [
      ...(Array.isArray(o['components']) ? o['components'] : []),
      ...(o['accessory'] ? [o['accessory']] : []),
    ];
    const hit = findComponent(nested, customId);
    if (hit) return hit;
  }
  return undefined;
}
