// Test doubles for the ComfyClient's seams: a clock that moves only when told, and WebSockets driven by hand.
import { EventEmitter } from 'node:events';
import type { Clock, ClockTimer, WebSocketFactory, WebSocketLike } from '../../../src/comfy/index.ts';

type Timer = ClockTimer & { at: number; seq: number; callback: () => void };

/** Time stands still until `advance`, which fires the due timers in order, each at its own time. */
export class ManualClock implements Clock {
  #now = 1_000_000;
  #seq = 0;
  readonly #timers = new Set<Timer>();

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): ClockTimer {
    const timer: Timer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, callback };
    this.#timers.add(timer);
    return timer;
  }

  clearTimeout(timer: ClockTimer | undefined): void {
    this.#timers.delete(timer as Timer);
  }

  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      const due = [...this.#timers]
        .filter((t) => t.at <= target)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.#timers.delete(due);
      this.#now = due.at;
      due.callback();
    }
    this.#now = target;
  }
}

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
