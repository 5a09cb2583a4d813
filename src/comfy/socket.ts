import { type Clock, type ClockTimer, repeat, systemClock } from './clock.ts';
import { type ComfyMessage, parseBinaryFrame, parseTextFrame } from './protocol.ts';
import { CLOSED, createWebSocket, OPEN, type WebSocketFactory, type WebSocketLike } from './websocket.ts';

export interface ReconnectPolicy {
  initialMs: number;
  maxMs: number;
}

export interface ComfySocketOptions {
  /** ws(s)://host:port[/prefix]/ws?clientId=… */
  url: string;
  headers?: Record<string, string>;
  reconnect?: Partial<ReconnectPolicy>;
  /** A ping every so often keeps idle proxies from cutting the socket; a missing pong ends it. */
  pingIntervalMs?: number;
  onMessage: (message: ComfyMessage) => void;
  /** `reconnected` is true for every open after the first. */
  onOpen?: (reconnected: boolean) => void;
  onClose?: (reason: string) => void;
  random?: () => number;
  clock?: Clock;
  webSocketFactory?: WebSocketFactory;
}

/** Full-jitter exponential backoff, capped. */
export function backoffDelay(attempt: number, policy: ReconnectPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * One WebSocket to one ComfyUI backend, kept open: it reconnects with the same client id, because ComfyUI
 * routes a job's events to the client id the job was submitted with. It never opens a new socket before the
 * old one has closed, since ComfyUI's cleanup of the old socket would otherwise unregister the new one.
 */
export class ComfySocket {
  readonly #options: ComfySocketOptions;
  readonly #policy: ReconnectPolicy;
  readonly #clock: Clock;
  readonly #create: WebSocketFactory;
  #ws: WebSocketLike | undefined;
  #attempt = 0;
  #opens = 0;
  #stopped = false;
  #retryTimer: ClockTimer | undefined;
  #stopPing: (() => void) | undefined;
  #awaitingPong = false;
  #openWaiters: Array<() => void> = [];

  constructor(options: ComfySocketOptions) {
    this.#options = options;
    this.#policy = { initialMs: 250, maxMs: 10_000, ...options.reconnect };
    this.#clock = options.clock ?? systemClock;
    this.#create = options.webSocketFactory ?? createWebSocket;
  }

  get connected(): boolean {
    return this.#ws?.readyState === OPEN;
  }

  /** How many times the socket has been re-opened after the first open. */
  get reconnects(): number {
    return Math.max(0, this.#opens - 1);
  }

  start(): void {
    this.#stopped = false;
    if (!this.#ws) this.#connect();
  }

  /** Resolves when the socket is open (or at once if it is). */
  waitOpen(timeoutMs: number): Promise<boolean> {
    if (this.connected) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = this.#clock.setTimeout(() => resolve(false), timeoutMs);
      this.#openWaiters.push(() => {
        this.#clock.clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Forces a reconnect, as after a suspected silent drop. */
  recycle(): void {
    this.#ws?.terminate();
  }

  async close(): Promise<void> {
    this.#stopped = true;
    this.#clock.clearTimeout(this.#retryTimer);
    this.#stopPing?.();
    const ws = this.#ws;
    if (!ws || ws.readyState === CLOSED) return;
    await new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      ws.terminate();
    });
  }

  #connect(): void {
    const ws = this.#create(this.#options.url, { headers: this.#options.headers ?? {} });
    this.#ws = ws;
    ws.on('open', () => {
      this.#attempt = 0;
      const reconnected = this.#opens > 0;
      this.#opens++;
      // Must be the first message on the socket, or ComfyUI ignores it and sends legacy previews.
      ws.send(JSON.stringify({ type: 'feature_flags', data: { supports_preview_metadata: true } }));
      this.#startPing(ws);
      for (const w of this.#openWaiters.splice(0)) w();
      this.#options.onOpen?.(reconnected);
    });
    ws.on('message', (data, isBinary) => {
      const message = isBinary ? parseBinaryFrame(toBytes(data)) : parseTextFrame(data.toString());
      if (message) this.#options.onMessage(message);
    });
    ws.on('pong', () => {
      this.#awaitingPong = false;
    });
    ws.on('error', () => {
      // 'close' follows every 'error'; reconnecting happens there.
    });
    ws.on('close', (code, reason) => {
      this.#stopPing?.();
      if (this.#ws === ws) this.#ws = undefined;
      this.#options.onClose?.(`${code}${reason.length ? ` ${reason.toString()}` : ''}`);
      if (!this.#stopped) this.#scheduleReconnect();
    });
  }

  #scheduleReconnect(): void {
    const delay = backoffDelay(this.#attempt++, this.#policy, this.#options.random ?? Math.random);
    this.#retryTimer = this.#clock.setTimeout(() => {
      if (!this.#stopped) this.#connect();
    }, delay);
  }

  #startPing(ws: WebSocketLike): void {
    this.#awaitingPong = false;
    this.#stopPing?.();
    this.#stopPing = repeat(this.#clock, this.#options.pingIntervalMs ?? 20_000, () => {
      if (this.#awaitingPong) {
        ws.terminate();
        return;
      }
      this.#awaitingPong = true;
      ws.ping();
    });
  }
}

function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}
