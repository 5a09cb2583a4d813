/**
 * Gateway WebSocket (gateway.mdx): HELLO, IDENTIFY → READY + GUILD_CREATE per
 * guild of the shard, heartbeats, RESUME with replay, and dispatches routed to
 * the shard owning a guild: `(guild_id >> 22) % num_shards`.
 */
import type { Server } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';
import { userToApi } from './messages.ts';
import { guildCreatePayload } from './payloads.ts';
import { shardForGuild } from './snowflake.ts';
import type { FakeState, Obj } from './state.ts';

export const Intents = {
  Guilds: 1 << 0,
  GuildMembers: 1 << 1,
  GuildPresences: 1 << 8,
  GuildMessages: 1 << 9,
  DirectMessages: 1 << 12,
  MessageContent: 1 << 15,
} as const;
const PRIVILEGED = Intents.GuildMembers | Intents.GuildPresences | Intents.MessageContent;
const ALL_INTENTS = (1 << 26) - 1;

export interface GatewaySession {
  id: string;
  shard: [number, number];
  intents: number;
  seq: number;
  socket: WebSocket | null;
  buffer: { s: number; t: string; d: unknown }[];
  identifiedAt: number;
}

export interface GatewayOptions {
  token: string;
  heartbeatIntervalMs: number;
  /** Privileged intents enabled "in the developer portal"; others close with 4014. */
  allowedPrivilegedIntents: number;
  applicationId: string;
  botUserId: string;
}

export interface Gateway {
  readonly url: string;
  sessions(): GatewaySession[];
  /** Sends a dispatch to every session owning `guildId` (shard 0 for DMs); `shape` may drop or rewrite it per session. */
  dispatch(guildId: string | null, t: string, d: Obj, shape?: (s: GatewaySession) => Obj | undefined): number;
  sendGuildCreate(guildId: string): void;
  /** Closes every socket with `code` (4000 makes discord.js RESUME). */
  disconnectAll(code?: number): void;
  close(): Promise<void>;
}

const BUFFER = 1000;

export function createGateway(server: Server, state: FakeState, opts: GatewayOptions, url: string): Gateway {
  const wss = new WebSocketServer({ server, path: '/gateway' });
  const sessions = new Map<string, GatewaySession>();

  const send = (ws: WebSocket, payload: Obj): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(payload));
  };
  const emit = (s: GatewaySession, t: string, d: unknown): void => {
    const seq = ++s.seq;
    s.buffer.push({ s: seq, t, d });
    if (s.buffer.length > BUFFER) s.buffer.shift();
    if (s.socket) send(s.socket, { op: 0, t, s: seq, d });
  };
  const owns = (s: GatewaySession, guildId: string | null): boolean =>
    guildId === null ? s.shard[0] === 0 : shardForGuild(guildId, s.shard[1]) === s.shard[0];

  const identify = (ws: WebSocket, d: Obj): GatewaySession | undefined => {
    const token = String(d['token'] ?? '').replace(/^Bot /, '');
    if (token !== opts.token) return void ws.close(4004, 'Authentication failed.');
    const shardRaw = Array.isArray(d['shard']) ? d['shard'] : [0, 1];
    const shard: [number, number] = [Number(shardRaw[0]), Number(shardRaw[1])];
    if (!(shard[1] >= 1 && shard[0] >= 0 && shard[0] < shard[1]))
      return void ws.close(4010, 'Invalid shard.');
    const intents = Number(d['intents']);
    if (!Number.isInteger(intents) || (intents & ~ALL_INTENTS) !== 0)
      return void ws.close(4013, 'Invalid intent(s).');
    if ((intents & PRIVILEGED & ~opts.allowedPrivilegedIntents) !== 0)
      return void ws.close(4014, 'Disallowed intent(s).');
    const session: GatewaySession = {
      id: state.nextId(),
      shard,
      intents,
      seq: 0,
      socket: ws,
      buffer: [],
      identifiedAt: state.now(),
    };
    sessions.set(session.id, session);
    const guilds = [...state.guilds.values()].filter((g) => owns(session, g.id));
    emit(session, 'READY', {
      v: 10,
      user: { ...userToApi(state, opts.botUserId), bot: true, verified: true, flags: 0, mfa_enabled: false },
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: url,
      shard,
      application: { id: opts.applicationId, flags: 0 },
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      user_settings: {},
      _trace: ['fake-discord'],
    });
    for (const g of guilds) emit(session, 'GUILD_CREATE', guildCreatePayload(state, g));
    return session;
  };

  const resume = (ws: WebSocket, d: Obj): GatewaySession | undefined => {
    const s = sessions.get(String(d['session_id']));
    const token = String(d['token'] ?? '').replace(/^Bot /, '');
    if (s === undefined || token !== opts.token) {
      send(ws, { op: 9, d: false });
      return undefined;
    }
    s.socket?.close(4000, 'Session resumed elsewhere');
    s.socket = ws;
    const from = Number(d['seq'] ?? 0);
    for (const e of s.buffer) if (e.s > from) send(ws, { op: 0, t: e.t, s: e.s, d: e.d });
    emit(s, 'RESUMED', null);
    return s;
  };

  wss.on('connection', (ws, req) => {
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    if (query.get('encoding') === 'etf') return ws.close(4002, 'Decode error.');
    if (query.get('compress')) return ws.close(4000, 'fake-discord: compression is not supported');
    let session: GatewaySession | undefined;
    send(ws, { op: 10, d: { heartbeat_interval: opts.heartbeatIntervalMs, _trace: ['fake-discord'] } });
    ws.on('message', (raw) => {
      let msg: { op?: number; d?: unknown };
      try {
        msg = JSON.parse(String(raw));
      } catch {
        return ws.close(4002, 'Decode error.');
      }
      const d = (typeof msg.d === 'object' && msg.d !== null ? msg.d : {}) as Obj;
      switch (msg.op) {
        case 1:
          return send(ws, { op: 11 });
        case 2:
          if (session) return ws.close(4005, 'Already authenticated.');
          session = identify(ws, d);
          return;
        case 6:
          session = resume(ws, d);
          return;
        case 3:
        case 4:
        case 8:
          if (!session) return ws.close(4003, 'Not authenticated.');
          return;
        default:
          return ws.close(4001, 'Unknown opcode.');
      }
    });
    ws.on('close', () => {
      if (session?.socket === ws) session.socket = null;
    });
  });

  return {
    url,
    sessions: () => [...sessions.values()],
    dispatch(guildId, t, d, shape) {
      let delivered = 0;
      for (const s of sessions.values()) {
        if (!owns(s, guildId)) continue;
        const payload = shape ? shape(s) : d;
        if (payload === undefined) continue;
        emit(s, t, payload);
        if (s.socket) delivered++;
      }
      return delivered;
    },
    sendGuildCreate(guildId) {
      const g = state.guilds.get(guildId);
      if (!g) return;
      for (const s of sessions.values())
        if (owns(s, guildId)) emit(s, 'GUILD_CREATE', guildCreatePayload(state, g));
    },
    disconnectAll(code = 4000) {
      for (const s of sessions.values()) s.socket?.close(code, 'fake-discord: disconnect');
    },
    close() {
      for (const client of wss.clients) client.terminate();
      return new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
