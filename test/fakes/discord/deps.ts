/** Shared wiring for the REST route modules: options, route builder, gateway message events. */
import { Rules } from './errors.ts';
import type { Gateway } from './gateway.ts';
import { Intents } from './gateway.ts';
import type { RequestCtx, Route, RouteResult } from './http.ts';
import { MessageFlags, messageToApi, userToApi } from './messages.ts';
import { memberToApi } from './payloads.ts';
import type { FakeMessage, FakeState, InteractionRecord, Obj } from './state.ts';

export interface FakeOptions {
  token: string;
  applicationId: string;
  botUserId: string;
  gatewayUrl: string;
  /** Initial-response deadline (Discord: 3000 ms), measured on the fake clock. */
  ackDeadlineMs: number;
  /** Interaction token lifetime (Discord: 15 min), measured on the fake clock. */
  tokenLifetimeMs: number;
  /** When set, edits of one message closer together than this are recorded as `edit-rate` violations. */
  minEditIntervalMs: number | undefined;
  shards: number;
  maxConcurrency: number;
}

export interface Deps {
  state: FakeState;
  gateway: Gateway;
  opts: FakeOptions;
  /** Marks overdue un-acknowledged interactions as did-not-respond. */
  sweep(): void;
  /** Called once when an interaction is acknowledged. */
  onAck(rec: InteractionRecord): void;
}

/** `route('PATCH', '/channels/:c/messages/:m', true, fn)`; the major parameter is part of the bucket. */
export function route(
  method: string,
  template: string,
  auth: boolean,
  handle: (ctx: RequestCtx) => RouteResult | Promise<RouteResult>,
): Route {
  const pattern = new RegExp(`^${template.replace(/:\w+/g, '([^/]+)')}$`);
  const major = /^\/(channels|guilds|webhooks)\//.test(template);
  return {
    method,
    pattern,
    auth,
    bucket: (params) =>
      `${method} ${template} ${major ? params.slice(0, template.startsWith('/webhooks') ? 2 : 1).join('/') : ''}`,
    handle,
  };
}

export const ok = (body: unknown, status = 200): RouteResult => ({ status, body });
export const noContent = (): RouteResult => ({ status: 204 });

function shapeMessage(deps: Deps, msg: FakeMessage, t: string) {
  const { state, opts } = deps;
  return (s: { intents: number }): Obj | undefined => {
    const dm = msg.guildId === null;
    if ((s.intents & (dm ? Intents.DirectMessages : Intents.GuildMessages)) === 0) return undefined;
    const api = messageToApi(state, msg);
    if (msg.guildId) {
      const member = state.guilds.get(msg.guildId)?.members.get(msg.authorId);
      if (member && !msg.webhookId) {
        const { user: _u, ...partial } = memberToApi(state, member);
        api['member'] = partial;
      }
    }
    const readable =
      (s.intents & Intents.MessageContent) !== 0 ||
      dm ||
      msg.authorId === opts.botUserId ||
      msg.mentions.includes(opts.botUserId);
    // message-content intent (gateway.mdx): without it these fields arrive empty.
    if (!readable) Object.assign(api, { content: '', embeds: [], attachments: [], components: [] });
    if (t === 'MESSAGE_CREATE' && msg.interactionId) {
      // As Discord sends it: discord.js reads the user who ran the interaction.
      const rec = state.interactionsById.get(msg.interactionId);
      if (rec)
        api['interaction_metadata'] = {
          id: rec.id,
          type: rec.type,
          user: userToApi(state, rec.userId),
          // Guild install (key 0): the guild's id, "0" in a DM.
          authorizing_integration_owners: { '0': rec.guildId ?? '0' },
        };
    }
    return api;
  };
}

/** MESSAGE_CREATE / MESSAGE_UPDATE with intent gating; ephemeral messages are never dispatched. */
export function emitMessage(deps: Deps, t: 'MESSAGE_CREATE' | 'MESSAGE_UPDATE', msg: FakeMessage): void {
  if ((msg.flags & MessageFlags.Ephemeral) !== 0) return;
  deps.gateway.dispatch(msg.guildId, t, {}, shapeMessage(deps, msg, t));
}

export function emitMessageDelete(deps: Deps, msg: FakeMessage): void {
  if ((msg.flags & MessageFlags.Ephemeral) !== 0) return;
  const d = { id: msg.id, channel_id: msg.channelId, ...(msg.guildId ? { guild_id: msg.guildId } : {}) };
  deps.gateway.dispatch(msg.guildId, 'MESSAGE_DELETE', d, (s) =>
    (s.intents & Intents.GuildMessages) !== 0 ? d : undefined,
  );
}

/** Records an `edit-rate` violation when a message is edited faster than `minEditIntervalMs`. */
export function checkEditRate(deps: Deps, msg: FakeMessage, ctx: RequestCtx): void {
  const min = deps.opts.minEditIntervalMs;
  const n = msg.history.length;
  const last = msg.history[n - 1];
  const prev = msg.history[n - 2];
  if (min === undefined || !last || !prev || n < 3) return;
  const gap = last.at - prev.at;
  if (gap < min)
    deps.state.violate({
      rule: Rules.editRate,
      status: 0,
      code: 0,
      message: `Message edited ${gap} ms after the previous edit (threshold ${min} ms)`,
      method: ctx.method,
      path: ctx.path,
      messageId: msg.id,
    });
}
