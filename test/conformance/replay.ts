// Replays a trace's client side (sockets, first messages, HTTP requests, uploads) against a live server.
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import WebSocket from 'ws';
import { binaryItem, recordedItem, type TraceEvent, textItem, type WsItem } from './trace.ts';

export type HttpExchange = {
  request: TraceEvent;
  recorded: TraceEvent;
  status: number;
  contentType: string;
  disposition: string | null;
  bytes: Buffer;
  json?: unknown;
};

type Socket = { ws: WebSocket; items: WsItem[] };

const ALIAS_KEYS = new Set(['prompt_id', 'filename', 'name']);

/** Recorded ids and counter-numbered file names differ on the fake; learn the pairs from parallel answers. */
function collectAliases(recorded: unknown, actual: unknown, into: Map<string, string>, key = ''): void {
  if (typeof recorded === 'string' && typeof actual === 'string') {
    if (recorded !== actual && ALIAS_KEYS.has(key)) into.set(recorded, actual);
    return;
  }
  if (Array.isArray(recorded) && Array.isArray(actual)) {
    for (const [i, r] of recorded.entries()) collectAliases(r, actual[i], into, key);
    return;
  }
  if (recorded && actual && typeof recorded === 'object' && typeof actual === 'object') {
    const r = recorded as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    for (const k of Object.keys(r)) if (k in a) collectAliases(r[k], a[k], into, k);
  }
}

function tokenCounts(items: WsItem[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) m.set(i.token, (m.get(i.token) ?? 0) + 1);
  return m;
}

export class Replayer {
  readonly sockets = new Map<string, Socket>();
  readonly aliases = new Map<string, string>();
  readonly exchanges: HttpExchange[] = [];
  private readonly base: string;
  private readonly events: TraceEvent[];
  private readonly syncTimeoutMs: number;
  private uploadBytes: Buffer | undefined;
  private otherUploadBytes: Buffer | undefined;

  constructor(baseUrl: string, events: TraceEvent[], syncTimeoutMs = 5000) {
    this.base = baseUrl;
    this.events = events;
    this.syncTimeoutMs = syncTimeoutMs;
  }

  async run(): Promise<void> {
    for (const [i, e] of this.events.entries()) {
      if (e.kind === 'ws_connect') await this.connect(i, e);
      else if (e.kind === 'ws_send') {
        await this.sync(i);
        const s = this.sockets.get(e.ws ?? '');
        s?.ws.send(e.raw ?? JSON.stringify(this.substitute(e.data)));
      } else if (e.kind === 'http_request') {
        await this.sync(i);
        await this.http(i, e);
      }
    }
    await this.sync(this.events.length);
  }

  close(): void {
    for (const s of this.sockets.values()) s.ws.terminate();
  }

  /** The recorded messages of one socket. */
  recorded(label: string): WsItem[] {
    return this.events.filter((e) => e.kind === 'ws_recv' && e.ws === label).map(recordedItem);
  }

  private async connect(i: number, e: TraceEvent): Promise<void> {
    await this.sync(i);
    const url = new URL(e.url ?? '/ws', this.base.replace('http', 'ws'));
    const target = new URL(this.base.replace('http', 'ws'));
    url.host = target.host;
    const ws = new WebSocket(url);
    const socket: Socket = { ws, items: [] };
    ws.on('message', (data, isBinary) => {
      const buf = data as Buffer;
      if (!isBinary) {
        socket.items.push(textItem(JSON.parse(buf.toString('utf8'))));
        return;
      }
      const type = buf.readUInt32BE(0);
      const metadata =
        type === 4 ? JSON.parse(buf.subarray(8, 8 + buf.readUInt32BE(4)).toString('utf8')) : undefined;
      socket.items.push(binaryItem(type, metadata));
    });
    ws.on('error', () => {});
    this.sockets.set(e.ws ?? '', socket);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
  }

  /** Waits until every socket has at least as many messages of each type as the recording had by event `i`. */
  private async sync(i: number): Promise<void> {
    const deadline = Date.now() + this.syncTimeoutMs;
    for (;;) {
      const missing: string[] = [];
      const before = this.events.slice(0, i);
      for (const [label, socket] of this.sockets) {
        const want = tokenCounts(
          before.filter((e) => e.kind === 'ws_recv' && e.ws === label).map(recordedItem),
        );
        const have = tokenCounts(socket.items);
        for (const [token, n] of want) {
          if ((have.get(token) ?? 0) < n) missing.push(`${label}: ${token} ${have.get(token) ?? 0}/${n}`);
        }
      }
      if (missing.length === 0) {
        this.learnFromSockets();
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `before event #${i} (${this.events[i]?.kind ?? 'end'}), still waiting for ${missing.join(', ')}`,
        );
      }
      await sleep(5);
    }
  }

  private learnFromSockets(): void {
    for (const [label, socket] of this.sockets) {
      const rec = this.recorded(label).filter((x) => x.token === 'executed');
      const act = socket.items.filter((x) => x.token === 'executed');
      for (const r of rec) {
        const d = r.data as { node: string; prompt_id: string };
        const match = act.find((a) => {
          const ad = a.data as { node: string; prompt_id: string };
          return ad.node === d.node && ad.prompt_id === (this.aliases.get(d.prompt_id) ?? d.prompt_id);
        });
        if (match) collectAliases(r.data, match.data, this.aliases);
      }
    }
  }

  private substitute<T>(value: T): T {
    if (this.aliases.size === 0) return value;
    if (typeof value === 'string') return (this.aliases.get(value) ?? value) as T;
    if (Array.isArray(value)) return value.map((v) => this.substitute(v)) as T;
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.substitute(v)])) as T;
    }
    return value;
  }

  private substitutePath(path: string): string {
    const keys = [...this.aliases.keys()].sort((a, b) => b.length - a.length);
    if (keys.length === 0) return path;
    const quote = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const pattern = new RegExp(keys.map(quote).join('|'), 'g');
    return path.replace(pattern, (m) => this.aliases.get(m) ?? m);
  }

  private async uploadPart(spec: { filename: string; content_type: string; different_content?: boolean }) {
    this.uploadBytes ??= await sharp({
      create: { width: 48, height: 32, channels: 3, background: '#3366cc' },
    })
      .png()
      .toBuffer();
    this.otherUploadBytes ??= await sharp({
      create: { width: 48, height: 32, channels: 3, background: '#cc6633' },
    })
      .png()
      .toBuffer();
    const bytes = spec.different_content ? this.otherUploadBytes : this.uploadBytes;
    return new File([new Uint8Array(bytes)], spec.filename, { type: spec.content_type });
  }

  private async http(i: number, e: TraceEvent): Promise<void> {
    const recorded = this.events
      .slice(i + 1)
      .find((r) => r.kind === 'http_response' && r.method === e.method && r.path === e.path);
    if (!recorded) throw new Error(`no recorded response for ${e.method} ${e.path}`);
    const init: RequestInit = { method: e.method ?? 'GET' };
    if (e.multipart) {
      const form = new FormData();
      for (const [k, v] of Object.entries(e.multipart)) {
        if (typeof v === 'string') form.append(k, v);
        else form.append(k, await this.uploadPart(v as { filename: string; content_type: string }));
      }
      init.body = form;
    } else if (e.json !== undefined) {
      init.body = JSON.stringify(this.substitute(e.json));
      init.headers = { 'Content-Type': 'application/json' };
    } else if (typeof e.body === 'string') {
      init.body = e.body;
      init.headers = e.headers;
    }
    const res = await fetch(this.base + this.substitutePath(e.path ?? '/'), init);
    const bytes = Buffer.from(await res.arrayBuffer());
    const contentType = res.headers.get('content-type') ?? '';
    const exchange: HttpExchange = {
      request: e,
      recorded,
      status: res.status,
      contentType,
      disposition: res.headers.get('content-disposition'),
      bytes,
    };
    if (contentType.startsWith('application/json')) {
      exchange.json = JSON.parse(bytes.toString('utf8'));
      // Only answers to the replay's own submissions (prompts, uploads) pair recorded ids with new ones.
      if (e.method === 'POST') collectAliases(recorded.body, exchange.json, this.aliases);
    }
    this.exchanges.push(exchange);
  }
}
