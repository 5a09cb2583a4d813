// Test doubles for the ComfyClient's seams: WebSockets driven by hand (the manual clock is test/helpers').
import { EventEmitter } from 'node:events';
import type { WebSocketFactory, WebSocketLike } from '../../../src/comfy/index.ts';

/** A socket that opens on the next microtask and receives what the test sends it. */
export class FakeWebSocket extends EventEmitter implements WebSocketLike {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly sent: string[] = [];
  readyState = 0;

  constructor(url: string, headers: Record<string, string>) {
    super();
    this.url = url;
    this.headers = headers;
    queueMicrotask(() => {
      if (this.readyState !== 0) return;
      this.readyState = 1;
      this.emit('open');
    });
  }

  send(data: string): void {
    this.sent.push(data);
  }

  ping(): void {
    queueMicrotask(() => this.emit('pong'));
  }

  terminate(): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    queueMicrotask(() => this.emit('close', 1006, Buffer.alloc(0)));
  }

  /** A text frame from the server, as ComfyUI sends it. */
  receive(type: string, data: Record<string, unknown>): void {
    this.emit('message', Buffer.from(JSON.stringify({ type, data })), false);
  }
}

/** A factory that keeps every socket it made, newest last. */
export function fakeWebSockets(): { factory: WebSocketFactory; sockets: FakeWebSocket[] } {
  const sockets: FakeWebSocket[] = [];
  const factory: WebSocketFactory = (url, options) => {
    const socket = new FakeWebSocket(url, options.headers);
    sockets.push(socket);
    return socket;
  };
  return { factory, sockets };
}

/** Waits (in real time, polling) for something the client does asynchronously. */
export async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Lets the client's pending work (mocked HTTP replies, socket events) run, without moving the clock. */
export async function drain(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
}
