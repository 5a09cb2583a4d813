/** Bot-token channel message routes: create, list, get, edit, delete. */
import { checkEditRate, type Deps, emitMessage, emitMessageDelete, noContent, ok, route } from './deps.ts';
import { Fail } from './errors.ts';
import type { RequestCtx, Route } from './http.ts';
import { createMessage, editMessage, MessageFlags, messageToApi } from './messages.ts';
import type { FakeMessage } from './state.ts';

export function messageRoutes(deps: Deps): Route[] {
  const { state, opts } = deps;
  const channelOf = (ctx: RequestCtx) => {
    const c = state.channel(ctx.params[0] ?? '');
    if (!c) throw Fail.unknownChannel();
    return c;
  };
  const messageOf = (ctx: RequestCtx): FakeMessage => {
    const c = channelOf(ctx);
    ctx.messageId = ctx.params[1];
    const m = state.messages.get(ctx.params[1] ?? '');
    // Ephemeral messages exist only for the interaction webhook, never on channel routes.
    if (!m || m.deleted || m.channelId !== c.id || (m.flags & MessageFlags.Ephemeral) !== 0)
      throw Fail.unknownMessage();
    return m;
  };
  return [
    route('POST', '/channels/:channel/messages', true, (ctx) => {
      const c = channelOf(ctx);
      const msg = createMessage(state, c.id, opts.botUserId, {
        body: ctx.body,
        files: ctx.files,
        sizeLimit: state.attachmentSizeLimit,
        via: 'POST channel message',
      });
      emitMessage(deps, 'MESSAGE_CREATE', msg);
      return ok(messageToApi(state, msg));
    }),
    route('GET', '/channels/:channel/messages', true, (ctx) => {
      const c = channelOf(ctx);
      const limit = Math.min(100, Number(ctx.query.get('limit') ?? 50));
      const all = [...state.messages.values()].filter(
        (m) => m.channelId === c.id && !m.deleted && !(m.flags & 64),
      );
      return ok(
        all
          .reverse()
          .slice(0, limit)
          .map((m) => messageToApi(state, m)),
      );
    }),
    route('GET', '/channels/:channel/messages/:message', true, (ctx) =>
      ok(messageToApi(state, messageOf(ctx))),
    ),
    route('PATCH', '/channels/:channel/messages/:message', true, (ctx) => {
      const msg = messageOf(ctx);
      if (msg.authorId !== opts.botUserId) throw Fail.notAuthor();
      editMessage(state, msg, {
        body: ctx.body,
        files: ctx.files,
        sizeLimit: state.attachmentSizeLimit,
        via: 'PATCH channel message',
      });
      checkEditRate(deps, msg, ctx);
      emitMessage(deps, 'MESSAGE_UPDATE', msg);
      return ok(messageToApi(state, msg));
    }),
    route('DELETE', '/channels/:channel/messages/:message', true, (ctx) => {
      const msg = messageOf(ctx);
      msg.deleted = true;
      emitMessageDelete(deps, msg);
      return noContent();
    }),
  ];
}
