/**
 * Interaction callback (receiving-and-responding.mdx) and interaction webhook
 * routes: the 3-second initial-response rule, single acknowledgement, the
 * 15-minute token lifetime, followups, @original edits.
 */
import { checkEditRate, type Deps, emitMessage, emitMessageDelete, noContent, ok, route } from './deps.ts';
import { Fail, FormErrors } from './errors.ts';
import type { RequestCtx, Route, RouteResult } from './http.ts';
import { validateChoices, validateModal } from './limits.ts';
import { createMessage, editMessage, MessageFlags, messageToApi } from './messages.ts';
import type { FakeMessage, InteractionRecord, Obj } from './state.ts';

/** Callback types allowed per interaction type (2 command, 3 component, 4 autocomplete, 5 modal submit). */
const ALLOWED: Record<number, number[]> = { 2: [4, 5, 9], 3: [4, 5, 6, 7, 9], 4: [8], 5: [4, 5, 6, 7] };

export function interactionRoutes(deps: Deps): Route[] {
  const { state, opts } = deps;

  const message = (id: string | null): FakeMessage | undefined => {
    const m = id === null ? undefined : state.messages.get(id);
    return m && !m.deleted ? m : undefined;
  };

  const respond = (ctx: RequestCtx, rec: InteractionRecord): { msg?: FakeMessage } => {
    const type = Number(ctx.body['type']);
    const data = (
      typeof ctx.body['data'] === 'object' && ctx.body['data'] !== null ? ctx.body['data'] : {}
    ) as Obj;
    if (!(ALLOWED[rec.type] ?? []).includes(type)) {
      const errs = new FormErrors();
      errs.add(['type'], 'INTERACTION_RESPONSE_TYPE_INVALID', `Invalid interaction response type ${type}`);
      errs.throwIfAny();
    }
    const write = {
      files: ctx.files,
      sizeLimit: rec.attachmentSizeLimit,
      path: ['data'],
      via: `callback:${type}`,
    };
    const extra = { webhookId: opts.applicationId, interactionId: rec.id };
    switch (type) {
      case 4: {
        const msg = createMessage(state, rec.channelId, opts.botUserId, { ...write, body: data }, extra);
        rec.originalMessageId = msg.id;
        emitMessage(deps, 'MESSAGE_CREATE', msg);
        return { msg };
      }
      case 5: {
        const flags = MessageFlags.Loading | (Number(data['flags'] ?? 0) & MessageFlags.Ephemeral);
        const msg = createMessage(
          state,
          rec.channelId,
          opts.botUserId,
          { ...write, body: {} },
          {
            ...extra,
            flags,
            allowEmpty: true,
          },
        );
        rec.originalMessageId = msg.id;
        emitMessage(deps, 'MESSAGE_CREATE', msg);
        return { msg };
      }
      case 6:
      case 7: {
        const source = message(rec.sourceMessageId);
        if (!source) throw Fail.unknownMessage();
        rec.originalMessageId = source.id;
        if (type === 7) {
          editMessage(state, source, { ...write, body: data });
          emitMessage(deps, 'MESSAGE_UPDATE', source);
        }
        return { msg: source };
      }
      case 8: {
        const errs = new FormErrors();
        validateChoices(errs, data['choices'], ['data', 'choices']);
        errs.throwIfAny();
        rec.choices = data['choices'] as unknown[];
        return {};
      }
      default: {
        const errs = new FormErrors();
        validateModal(errs, data, ['data']);
        errs.throwIfAny();
        rec.modal = data;
        return {};
      }
    }
  };

  const callback = (ctx: RequestCtx): RouteResult => {
    const [id, token] = ctx.params;
    const rec = state.interactionsById.get(id ?? '');
    if (!rec || rec.token !== token) throw Fail.unknownInteraction();
    ctx.interactionId = rec.id;
    deps.sweep();
    const now = state.now();
    const attempt = { at: now, latencyMs: now - rec.dispatchedAt, type: Number(ctx.body['type']) };
    try {
      if (rec.status === 'acknowledged') throw Fail.alreadyAcknowledged();
      if (rec.status === 'did-not-respond' || attempt.latencyMs > opts.ackDeadlineMs) {
        deps.sweep();
        throw Fail.lateAck();
      }
      const { msg } = respond(ctx, rec);
      rec.callbacks.push({ ...attempt, status: 204 });
      rec.status = 'acknowledged';
      rec.ack = { type: attempt.type, at: now, latencyMs: attempt.latencyMs };
      deps.onAck(rec);
      if (ctx.query.get('with_response') !== 'true') return noContent();
      return ok({
        interaction: {
          id: rec.id,
          type: rec.type,
          ...(msg
            ? {
                response_message_id: msg.id,
                response_message_loading: (msg.flags & MessageFlags.Loading) !== 0,
                response_message_ephemeral: (msg.flags & MessageFlags.Ephemeral) !== 0,
              }
            : {}),
        },
        resource: { type: attempt.type, ...(msg ? { message: messageToApi(state, msg) } : {}) },
      });
    } catch (err) {
      const status = (err as { status?: number }).status ?? 500;
      const code = (err as { body?: { code?: number } }).body?.code;
      rec.callbacks.push({ ...attempt, status, ...(code === undefined ? {} : { code }) });
      throw err;
    }
  };

  /** Resolves the interaction behind a webhook token, enforcing the 15-minute lifetime. */
  const tokenOwner = (ctx: RequestCtx): InteractionRecord => {
    const [app, token] = ctx.params;
    if (app !== opts.applicationId) throw Fail.unknownWebhook();
    const rec = state.interactionsByToken.get(token ?? '');
    if (!rec) throw Fail.invalidWebhookToken();
    ctx.interactionId = rec.id;
    deps.sweep();
    // Token expired, or invalidated because the 3-second deadline passed without a response.
    if (state.now() - rec.dispatchedAt > opts.tokenLifetimeMs || rec.status === 'did-not-respond')
      throw Fail.invalidWebhookToken();
    return rec;
  };

  const target = (ctx: RequestCtx, rec: InteractionRecord): FakeMessage => {
    const ref = ctx.params[2];
    const id = ref === '@original' ? rec.originalMessageId : ref;
    ctx.messageId = id ?? undefined;
    const owned =
      id !== null && id !== undefined && (id === rec.originalMessageId || rec.followupIds.includes(id));
    const msg = owned ? message(id) : undefined;
    if (!msg) throw Fail.unknownMessage();
    return msg;
  };

  const sizeLimit = (rec: InteractionRecord) => rec.attachmentSizeLimit;
  const hook = '/webhooks/:app/:token';
  return [
    route('POST', '/interactions/:id/:token/callback', false, callback),
    route('GET', `${hook}/messages/:message`, false, (ctx) =>
      ok(messageToApi(state, target(ctx, tokenOwner(ctx)))),
    ),
    route('PATCH', `${hook}/messages/:message`, false, (ctx) => {
      const rec = tokenOwner(ctx);
      const msg = target(ctx, rec);
      editMessage(state, msg, {
        body: ctx.body,
        files: ctx.files,
        sizeLimit: sizeLimit(rec),
        via: `PATCH webhook ${ctx.params[2]}`,
      });
      checkEditRate(deps, msg, ctx);
      emitMessage(deps, 'MESSAGE_UPDATE', msg);
      return ok(messageToApi(state, msg));
    }),
    route('DELETE', `${hook}/messages/:message`, false, (ctx) => {
      const msg = target(ctx, tokenOwner(ctx));
      msg.deleted = true;
      emitMessageDelete(deps, msg);
      return noContent();
    }),
    route('POST', hook, false, (ctx) => {
      const rec = tokenOwner(ctx);
      if (rec.status !== 'acknowledged') throw Fail.unknownWebhook();
      const write = { body: ctx.body, files: ctx.files, sizeLimit: sizeLimit(rec), via: 'POST followup' };
      const original = message(rec.originalMessageId);
      let msg: FakeMessage;
      if (original && (original.flags & MessageFlags.Loading) !== 0 && rec.followupIds.length === 0) {
        // Documented (deprecated) behaviour: the first followup after a defer edits the loading message.
        msg = editMessage(state, original, write);
        emitMessage(deps, 'MESSAGE_UPDATE', msg);
      } else {
        const flags = Number(ctx.body['flags'] ?? 0) & MessageFlags.Ephemeral;
        msg = createMessage(state, rec.channelId, opts.botUserId, write, {
          webhookId: opts.applicationId,
          interactionId: rec.id,
          flags,
        });
        rec.followupIds.push(msg.id);
        emitMessage(deps, 'MESSAGE_CREATE', msg);
      }
      // Interaction followups behave like Execute Webhook with `wait=true` always.
      return ok(messageToApi(state, msg));
    }),
  ];
}
