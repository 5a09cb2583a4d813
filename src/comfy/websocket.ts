import WebSocket from 'ws';

/** What a ComfySocket needs of a WebSocket: the part of `ws`'s API it uses, so tests can pass their own. */
export interface WebSocketLike {
  /** The standard ready states: 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  send(data: string): void;
  ping(): void;
  terminate(): void;
  on(event: 'open' | 'pong', listener: () => void): unknown;
  on(event: 'message', listener: (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): unknown;
  once(event: 'close', listener: () => void): unknown;
}

export interface WebSocketOptions {
  /** Handshake headers, carrying the same auth as HTTP. */
  headers: Record<string, string>;
}

export type WebSocketFactory = (url: string, options: WebSocketOptions) => WebSocketLike;

export const OPEN = 1;
export const CLOSED = 3;

/** The default: a `ws` WebSocket, without per-message compression. */
export const createWebSocket: WebSocketFactory = (url, options) =>
  new WebSocket(url, { headers: options.headers, perMessageDeflate: false });

/** ws(s)://host:port[/prefix]/ws?clientId=…[&token=…], from the backend's HTTP base URL. */
export function webSocketUrl(baseUrl: string, clientId: string, token?: string): string {
  const u = new URL(baseUrl);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  u.username = '';
  u.password = '';
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/ws`;
  u.search = '';
  u.searchParams.set('clientId', clientId);
  if (token) u.searchParams.set('token', token);
  return u.toString();
}
