/** Gateway discovery, current user/application, guilds, channels, members, application commands. */
import { type Deps, noContent, ok, route } from './deps.ts';
import { DiscordFailure, Fail, FormErrors, Rules } from './errors.ts';
import type { RequestCtx, Route } from './http.ts';
import { Limits, validateCommand } from './limits.ts';
import { userToApi } from './messages.ts';
import { channelToApi, guildToApi, memberToApi, roleToApi } from './payloads.ts';
import type { FakeState, Obj } from './state.ts';

export function applicationToApi(deps: Deps): Obj {
  const { state, opts } = deps;
  return {
    id: opts.applicationId,
    name: state.users.get(opts.botUserId)?.username ?? 'bot',
    icon: null,
    description: '',
    summary: '',
    type: null,
    bot_public: true,
    bot_require_code_grant: false,
    verify_key: '0'.repeat(64),
    flags: 0,
    team: null,
    owner: userToApi(state, opts.botUserId),
    bot: userToApi(state, opts.botUserId),
    approximate_guild_count: state.guilds.size,
    integration_types_config: { '0': {} },
    tags: [],
  };
}

const guildOf = (state: FakeState, id: string | undefined) => {
  const g = id === undefined ? undefined : state.guilds.get(id);
  if (!g) throw Fail.unknownGuild();
  return g;
};

function commandsRoutes(deps: Deps): Route[] {
  const { state, opts } = deps;
  const scopeOf = (ctx: RequestCtx): string => {
    if (ctx.params[0] !== opts.applicationId)
      throw new DiscordFailure(404, Rules.noRoute, { message: 'Unknown Application', code: 10002 });
    const guildId = ctx.params[1];
    if (guildId !== undefined && !/^\d+$/.test(guildId)) throw Fail.unknownGuild();
    if (guildId !== undefined) guildOf(state, guildId);
    return guildId ?? 'global';
  };
  const list = (scope: string): Obj[] => state.commands.get(scope) ?? [];
  const normalise = (scope: string, body: Obj, existing?: Obj): Obj => ({
    type: 1,
    default_member_permissions: null,
    nsfw: false,
    integration_types: [0],
    contexts: null,
    description_localizations: null,
    name_localizations: null,
    ...body,
    id: existing?.['id'] ?? state.nextId(),
    application_id: opts.applicationId,
    version: state.nextId(),
    ...(scope === 'global' ? {} : { guild_id: scope }),
  });
  const checkMax = (cmds: Obj[], scope: string): void => {
    const chatInput = cmds.filter((c) => Number(c['type'] ?? 1) === 1).length;
    if (chatInput > Limits.globalChatInputCommands) throw Fail.tooManyCommands();
    if (scope !== 'global' && cmds.length > 100 + 10) throw Fail.tooManyCommands();
  };
  const record = (ctx: RequestCtx, scope: string, fn: () => { status: number; body?: unknown }) => {
    try {
      const r = fn();
      state.registrations.push({
        method: ctx.method,
        scope,
        at: state.now(),
        body: ctx.body,
        status: r.status,
      });
      return r;
    } catch (err) {
      const status = err instanceof DiscordFailure ? err.status : 500;
      state.registrations.push({ method: ctx.method, scope, at: state.now(), body: ctx.body, status });
      throw err;
    }
  };
  const put = (ctx: RequestCtx) => {
    const scope = scopeOf(ctx);
    return record(ctx, scope, () => {
      const body = Array.isArray(ctx.body) ? (ctx.body as Obj[]) : [];
      const errs = new FormErrors();
      const names = new Set<string>();
      body.forEach((c, i) => {
        validateCommand(errs, c, [i]);
        const key = `${c['type'] ?? 1}:${String(c['name'])}`;
        if (names.has(key))
          errs.add(
            [i, 'name'],
            'APPLICATION_COMMANDS_DUPLICATE_NAME',
            'Application command names must be unique',
          );
        names.add(key);
      });
      errs.throwIfAny();
      checkMax(body, scope);
      const old = list(scope);
      const next = body.map((c) =>
        normalise(
          scope,
          c,
          old.find((o) => o['name'] === c['name'] && (o['type'] ?? 1) === (c['type'] ?? 1)),
        ),
      );
      state.commands.set(scope, next);
      return ok(next);
    });
  };
  const post = (ctx: RequestCtx) => {
    const scope = scopeOf(ctx);
    return record(ctx, scope, () => {
      const errs = new FormErrors();
      validateCommand(errs, ctx.body, []);
      errs.throwIfAny();
      const old = list(scope);
      const existing = old.find(
        (o) => o['name'] === ctx.body['name'] && (o['type'] ?? 1) === (ctx.body['type'] ?? 1),
      );
      const cmd = normalise(scope, ctx.body, existing);
      const next = existing ? old.map((o) => (o === existing ? cmd : o)) : [...old, cmd];
      checkMax(next, scope);
      state.commands.set(scope, next);
      return ok(cmd, existing ? 200 : 201);
    });
  };
  const findCmd = (ctx: RequestCtx, scope: string): Obj => {
    const id = ctx.params[ctx.params.length - 1];
    const cmd = list(scope).find((c) => c['id'] === id);
    if (!cmd) throw Fail.unknownCommand();
    return cmd;
  };
  const one = (ctx: RequestCtx) => ok(findCmd(ctx, scopeOf(ctx)));
  const patch = (ctx: RequestCtx) => {
    const scope = scopeOf(ctx);
    return record(ctx, scope, () => {
      const cmd = findCmd(ctx, scope);
      const merged = { ...cmd, ...ctx.body };
      const errs = new FormErrors();
      validateCommand(errs, merged, []);
      errs.throwIfAny();
      const updated = normalise(scope, merged, cmd);
      state.commands.set(
        scope,
        list(scope).map((c) => (c === cmd ? updated : c)),
      );
      return ok(updated);
    });
  };
  const del = (ctx: RequestCtx) => {
    const scope = scopeOf(ctx);
    return record(ctx, scope, () => {
      const cmd = findCmd(ctx, scope);
      state.commands.set(
        scope,
        list(scope).filter((c) => c !== cmd),
      );
      return noContent();
    });
  };
  const g = '/applications/:app/commands';
  const gg = '/applications/:app/guilds/:guild/commands';
  return [
    route('GET', g, true, (ctx) => ok(list(scopeOf(ctx)))),
    route('PUT', g, true, put),
    route('POST', g, true, post),
    route('GET', `${g}/:cmd`, true, one),
    route('PATCH', `${g}/:cmd`, true, patch),
    route('DELETE', `${g}/:cmd`, true, del),
    route('GET', gg, true, (ctx) => ok(list(scopeOf(ctx)))),
    route('PUT', gg, true, put),
    route('POST', gg, true, post),
    route('GET', `${gg}/:cmd`, true, one),
    route('PATCH', `${gg}/:cmd`, true, patch),
    route('DELETE', `${gg}/:cmd`, true, del),
  ];
}

export function coreRoutes(deps: Deps): Route[] {
  const { state, opts } = deps;
  const member = (ctx: RequestCtx) => {
    const g = guildOf(state, ctx.params[0]);
    const m = g.members.get(ctx.params[1] ?? '');
    if (!m) throw Fail.unknownMember();
    return ok(memberToApi(state, m));
  };
  return [
    route('GET', '/gateway', false, () => ok({ url: opts.gatewayUrl })),
    route('GET', '/gateway/bot', true, () =>
      ok({
        url: opts.gatewayUrl,
        shards: opts.shards,
        session_start_limit: {
          total: 1000,
          remaining: 1000,
          reset_after: 14_400_000,
          max_concurrency: opts.maxConcurrency,
        },
      }),
    ),
    route('GET', '/users/@me', true, () =>
      ok({ ...userToApi(state, opts.botUserId), bot: true, verified: true, mfa_enabled: false, flags: 0 }),
    ),
    route('GET', '/users/:user', true, (ctx) => {
      if (!state.users.has(ctx.params[0] ?? ''))
        throw new DiscordFailure(404, Rules.noRoute, { message: 'Unknown User', code: 10013 });
      return ok(userToApi(state, ctx.params[0] ?? ''));
    }),
    route('POST', '/users/@me/channels', true, (ctx) => {
      const recipient = String(ctx.body['recipient_id'] ?? '');
      if (!state.users.has(recipient))
        throw new DiscordFailure(404, Rules.noRoute, { message: 'Unknown User', code: 10013 });
      const existing = [...state.channels.values()].find((c) => c.guildId === null && c.name === recipient);
      const dm = existing ?? {
        id: state.nextId(),
        guildId: null,
        name: recipient,
        type: 1,
        nsfw: false,
        position: 0,
      };
      state.channels.set(dm.id, dm);
      return ok({ ...channelToApi(dm), recipients: [userToApi(state, recipient)] });
    }),
    route('GET', '/applications/@me', true, () => ok(applicationToApi(deps))),
    route('GET', '/oauth2/applications/@me', true, () => ok(applicationToApi(deps))),
    ...commandsRoutes(deps),
    route('GET', '/guilds/:guild', true, (ctx) => ok(guildToApi(state, guildOf(state, ctx.params[0])))),
    route('GET', '/guilds/:guild/channels', true, (ctx) =>
      ok(
        guildOf(state, ctx.params[0]).channelIds.flatMap((id) => {
          const c = state.channels.get(id);
          return c ? [channelToApi(c)] : [];
        }),
      ),
    ),
    route('GET', '/guilds/:guild/roles', true, (ctx) =>
      ok(guildOf(state, ctx.params[0]).roles.map(roleToApi)),
    ),
    route('GET', '/guilds/:guild/members/:user', true, member),
    route('GET', '/channels/:channel', true, (ctx) => {
      const c = state.channel(ctx.params[0] ?? '');
      if (!c) throw Fail.unknownChannel();
      return ok(channelToApi(c));
    }),
    route('POST', '/channels/:channel/typing', true, (ctx) => {
      if (!state.channel(ctx.params[0] ?? '')) throw Fail.unknownChannel();
      return noContent();
    }),
  ];
}
