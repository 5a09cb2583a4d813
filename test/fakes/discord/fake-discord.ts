/**
 * Fake Discord (REST /api/v10 + gateway) for end-to-end tests with the real
 * discord.js. Point a Client at it with
 * `new Client({ intents, rest: { api: fake.restUrl } })`; `login()` discovers
 * the gateway through `GET /gateway/bot`.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ClockMode, createClock, type FakeClock } from './clock.ts';
import type { Deps, FakeOptions } from './deps.ts';
import { emitMessage } from './deps.ts';
import { createGateway, type Gateway, type GatewaySession } from './gateway.ts';
import { createHandler } from './http.ts';
import {
  type AutocompleteInput,
  type InteractionHandle,
  InteractionDriver,
  type SlashCommandInput,
} from './interactions.ts';
import { Limits } from './limits.ts';
import { createMessage, storeFile } from './messages.ts';
import { DEFAULT_PERMISSIONS } from './payloads.ts';
import { type BucketConfig, type Inject429Options, type RateLimitHit, RateLimits } from './ratelimit.ts';
import { coreRoutes } from './routes-core.ts';
import { interactionRoutes } from './routes-interactions.ts';
import { messageRoutes } from './routes-messages.ts';
import {
  type CommandRegistration,
  type FakeMessage,
  type FakeUser,
  FakeState,
  type InteractionRecord,
  type Obj,
  type RequestLogEntry,
  type StoredAttachment,
  type Violation,
} from './state.ts';

export { createClock, type FakeClock } from './clock.ts';
export { Rules } from './errors.ts';
export { Intents } from './gateway.ts';
export type { AutocompleteInput, InteractionHandle, SlashCommandInput } from './interactions.ts';
export { Limits } from './limits.ts';
export type { FakeMessage, InteractionRecord, StoredAttachment, Violation } from './state.ts';
export { waitFor } from './wait-for.ts';

export interface StartFakeDiscordOptions {
  token?: string;
  botUsername?: string;
  /**
   * A clock instance (`createClock({ source })` shares the app's test clock), or the mode of a new one
   * ('real' default: real time + advance()).
   */
  clock?: FakeClock | ClockMode;
  /** Default 3000. */
  ackDeadlineMs?: number;
  /** Default 15 min. */
  tokenLifetimeMs?: number;
  /** Default 41250 (Discord's usual value). */
  heartbeatIntervalMs?: number;
  /** `shards` in GET /gateway/bot. Default 1. */
  shards?: number;
  /** `session_start_limit.max_concurrency`. Default 16 so multi-shard tests identify at once. */
  maxConcurrency?: number;
  /** Per-file limit in bytes (default 10 MiB), sent as `attachment_size_limit`. */
  attachmentSizeLimit?: number;
  /** Record `edit-rate` violations for edits of one message closer than this. */
  minEditIntervalMs?: number;
  /** Values for the normal X-RateLimit-* headers. Default 50 per 1000 ms per bucket. */
  rateLimit?: BucketConfig;
  /** Privileged intents enabled for the app (bitmask); others close the gateway with 4014. Default: all. */
  allowedPrivilegedIntents?: number;
}

export interface GuildInput {
  id?: string;
  name: string;
  channels: { id?: string; name: string; nsfw?: boolean }[];
  roles?: { id?: string; name: string; permissions?: string }[];
  ownerId?: string;
  locale?: string;
}

export interface EditStats {
  messageId: string;
  channelId: string;
  edits: number;
  /** Smallest gap between consecutive edits (fake clock), or null with < 2 edits. */
  minIntervalMs: number | null;
  /** Most edits that fell inside any 1-second window. */
  maxEditsPerSecond: number;
}

export interface FakeDiscord {
  /** Pass as `rest.api` to discord.js: `http://127.0.0.1:PORT/api`. */
  readonly restUrl: string;
  readonly gatewayUrl: string;
  /** Base URL of the server (attachments are served under it). */
  readonly baseUrl: string;
  readonly token: string;
  readonly applicationId: string;
  readonly botUser: FakeUser;
  readonly clock: FakeClock;
  addGuild(input: GuildInput): {
    id: string;
    channels: { id: string; name: string }[];
    roles: { id: string; name: string }[];
  };
  addUser(input: { id?: string; username: string; locale?: string; globalName?: string }): FakeUser;
  addMember(guildId: string, userId: string, opts?: { roles?: string[]; permissions?: string }): void;
  slashCommand(input: SlashCommandInput): Promise<InteractionHandle>;
  /** Resolves with the choices of the accepted type-8 response; rejects if none arrived in time. */
  autocomplete(input: AutocompleteInput): Promise<unknown[]>;
  clickButton(input: { messageId: string; customId: string; userId: string }): Promise<InteractionHandle>;
  /** A user posts in a channel (MESSAGE_CREATE, content gated by the MessageContent intent). */
  sendMessage(input: {
    channelId: string;
    userId: string;
    content: string;
    mentionsBot?: boolean;
  }): FakeMessage;
  /** Stores a user upload (for attachment options); its `url` is served by the fake. */
  uploadAttachment(name: string, bytes: Uint8Array, contentType: string): StoredAttachment;
  /** Current messages of a channel, oldest first, with attachments (bytes) and edit history. */
  messages(channelId: string): FakeMessage[];
  message(id: string): FakeMessage | undefined;
  interactions(): InteractionRecord[];
  registeredCommands(guildId?: string): Obj[];
  commandRegistrations(): CommandRegistration[];
  violations(rule?: string): Violation[];
  requests(): RequestLogEntry[];
  rateLimitHits(): RateLimitHit[];
  inject429(opts: Inject429Options): void;
  setAttachmentSizeLimit(bytes: number): void;
  /** The bot loses Attach Files in a channel: writes with files answer 403 Missing Permissions (50013). */
  denyAttachFiles(channelId: string, denied?: boolean): void;
  editStats(): EditStats[];
  sessions(): GatewaySession[];
  /** Drops every gateway socket (default close code 4000, which discord.js resumes from). */
  disconnectGateway(code?: number): void;
  close(): Promise<void>;
}

function editStatsOf(msg: FakeMessage): EditStats {
  const times = msg.history.slice(1).map((r) => r.at);
  let minIntervalMs: number | null = null;
  let maxEditsPerSecond = 0;
  for (let i = 0; i < times.length; i++) {
    const t = times[i] ?? 0;
    if (i > 0) minIntervalMs = Math.min(minIntervalMs ?? Number.POSITIVE_INFINITY, t - (times[i - 1] ?? 0));
    maxEditsPerSecond = Math.max(maxEditsPerSecond, times.filter((u) => u >= t && u < t + 1000).length);
  }
  return {
    messageId: msg.id,
    channelId: msg.channelId,
    edits: times.length,
    minIntervalMs,
    maxEditsPerSecond,
  };
}

export async function startFakeDiscord(options: StartFakeDiscordOptions = {}): Promise<FakeDiscord> {
  const clock =
    typeof options.clock === 'object' ? options.clock : createClock({ mode: options.clock ?? 'real' });
  const state = new FakeState(clock);
  state.attachmentSizeLimit = options.attachmentSizeLimit ?? Limits.defaultAttachmentSize;
  const botUserId = state.nextId();
  const botUser: FakeUser = {
    id: botUserId,
    username: options.botUsername ?? 'ComfyRelay',
    globalName: null,
    locale: 'en-US',
    bot: true,
  };
  state.users.set(botUserId, botUser);
  const token = options.token ?? `${Buffer.from(botUserId).toString('base64')}.fake.token`;
  const rateLimits = new RateLimits(options.rateLimit ?? { limit: 50, windowMs: 1000 });
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.baseUrl = baseUrl;
  const opts: FakeOptions = {
    token,
    applicationId: botUserId,
    botUserId,
    gatewayUrl: `${baseUrl.replace('http', 'ws')}/gateway`,
    ackDeadlineMs: options.ackDeadlineMs ?? 3000,
    tokenLifetimeMs: options.tokenLifetimeMs ?? 15 * 60_000,
    minEditIntervalMs: options.minEditIntervalMs,
    shards: options.shards ?? 1,
    maxConcurrency: options.maxConcurrency ?? 16,
  };
  const gateway: Gateway = createGateway(
    server,
    state,
    {
      token,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      allowedPrivilegedIntents: options.allowedPrivilegedIntents ?? (1 << 1) | (1 << 8) | (1 << 15),
      applicationId: botUserId,
      botUserId,
    },
    opts.gatewayUrl,
  );
  let driver: InteractionDriver | undefined;
  const deps: Deps = {
    state,
    gateway,
    opts,
    sweep: () => driver?.sweep(),
    onAck: (rec) => driver?.onAck(rec),
  };
  const interactions = new InteractionDriver(deps);
  driver = interactions;
  const unsubscribe = clock.onChange(() => interactions.sweep());
  const serveStatic = (path: string, res: ServerResponse): boolean => {
    const id = /^\/attachments\/[^/]+\/(\d+)\/[^/]+$/.exec(path)?.[1];
    const file = id === undefined ? undefined : state.files.get(id);
    if (!file) return false;
    res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.size }).end(file.bytes);
    return true;
  };
  server.on(
    'request',
    createHandler({
      state,
      rateLimits,
      token,
      serveStatic,
      routes: [...interactionRoutes(deps), ...messageRoutes(deps), ...coreRoutes(deps)],
    }),
  );

  const live = (): FakeMessage[] => [...state.messages.values()].filter((m) => !m.deleted);
  return {
    restUrl: `${baseUrl}/api`,
    gatewayUrl: opts.gatewayUrl,
    baseUrl,
    token,
    applicationId: botUserId,
    botUser,
    clock,
    addGuild(input) {
      const id = input.id ?? state.nextId();
      const ownerId = input.ownerId ?? botUserId;
      const roles = [
        { id, name: '@everyone', permissions: DEFAULT_PERMISSIONS, position: 0 },
        ...(input.roles ?? []).map((r, i) => ({
          id: r.id ?? state.nextId(),
          name: r.name,
          permissions: r.permissions ?? '0',
          position: i + 1,
        })),
      ];
      const channels = input.channels.map((c, i) => ({
        id: c.id ?? state.nextId(),
        guildId: id,
        name: c.name,
        type: 0,
        nsfw: c.nsfw ?? false,
        position: i,
      }));
      for (const c of channels) state.channels.set(c.id, c);
      const now = state.now();
      const members = new Map([
        [botUserId, { userId: botUserId, roles: [], permissions: DEFAULT_PERMISSIONS, joinedAt: now }],
      ]);
      if (state.users.has(ownerId) && ownerId !== botUserId)
        members.set(ownerId, { userId: ownerId, roles: [], permissions: DEFAULT_PERMISSIONS, joinedAt: now });
      state.guilds.set(id, {
        id,
        name: input.name,
        ownerId,
        locale: input.locale ?? 'en-US',
        roles,
        channelIds: channels.map((c) => c.id),
        members,
        joinedAt: now,
      });
      gateway.sendGuildCreate(id);
      return {
        id,
        channels: channels.map((c) => ({ id: c.id, name: c.name })),
        roles: roles.map((r) => ({ id: r.id, name: r.name })),
      };
    },
    addUser(input) {
      const user: FakeUser = {
        id: input.id ?? state.nextId(),
        username: input.username,
        globalName: input.globalName ?? null,
        locale: input.locale ?? 'en-US',
        bot: false,
      };
      state.users.set(user.id, user);
      return user;
    },
    addMember(guildId, userId, o = {}) {
      const g = state.guilds.get(guildId);
      if (!g || !state.users.has(userId))
        throw new Error(`addMember: unknown guild ${guildId} or user ${userId}`);
      g.members.set(userId, {
        userId,
        roles: o.roles ?? [],
        permissions: o.permissions ?? DEFAULT_PERMISSIONS,
        joinedAt: state.now(),
      });
    },
    slashCommand: async (input) => interactions.slashCommand(input),
    autocomplete: (input) => interactions.autocomplete(input),
    clickButton: async (input) => interactions.clickButton(input),
    sendMessage(input) {
      const content =
        input.mentionsBot && !input.content.includes(`<@${botUserId}>`)
          ? `<@${botUserId}> ${input.content}`
          : input.content;
      const msg = createMessage(state, input.channelId, input.userId, {
        body: { content },
        files: [],
        sizeLimit: Number.POSITIVE_INFINITY,
        via: 'user message',
      });
      if (content.includes(`<@${botUserId}>`)) msg.mentions.push(botUserId);
      emitMessage(deps, 'MESSAGE_CREATE', msg);
      return structuredClone(msg);
    },
    uploadAttachment: (name, bytes, contentType) => storeFile(state, 'uploads', { name, bytes, contentType }),
    messages: (channelId) =>
      live()
        .filter((m) => m.channelId === channelId)
        .map((m) => structuredClone(m)),
    message: (id) => {
      const m = state.messages.get(id);
      return m ? structuredClone(m) : undefined;
    },
    interactions: () => {
      interactions.sweep();
      return [...state.interactionsById.values()];
    },
    registeredCommands: (guildId) => structuredClone(state.commands.get(guildId ?? 'global') ?? []),
    commandRegistrations: () => [...state.registrations],
    violations: (rule) => {
      interactions.sweep();
      return state.violations.filter((v) => rule === undefined || v.rule === rule);
    },
    requests: () => [...state.requests],
    rateLimitHits: () => [...rateLimits.hits],
    inject429: (o) => rateLimits.inject(o),
    setAttachmentSizeLimit: (bytes) => {
      state.attachmentSizeLimit = bytes;
    },
    denyAttachFiles: (channelId, denied = true) => {
      if (denied) state.noAttachFiles.add(channelId);
      else state.noAttachFiles.delete(channelId);
    },
    editStats: () =>
      live()
        .filter((m) => m.history.length > 1)
        .map(editStatsOf),
    sessions: () => gateway.sessions(),
    disconnectGateway: (code) => gateway.disconnectAll(code),
    async close() {
      unsubscribe();
      interactions.close();
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
