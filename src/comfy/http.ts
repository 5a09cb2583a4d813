import type { Readable } from 'node:stream';
import { type Dispatcher, FormData, Pool } from 'undici';
import { ComfyHttpError, ComfyUnreachableError } from './errors.ts';

/** How to reach a backend that sits behind a reverse proxy. */
export interface BackendAuth {
  bearer?: string;
  basic?: { username: string; password: string };
  headers?: Record<string, string>;
  /** Appended to the WebSocket URL as `?token=` for hosts that take it there. */
  wsToken?: string;
}

export interface ComfyHttpOptions {
  /** http(s)://host:port[/prefix] — a path prefix is kept for backends behind a proxy. */
  baseUrl: string;
  auth?: BackendAuth;
  /** Injected in tests (MockAgent) or shared between clients; by default a keep-alive Pool per backend. */
  dispatcher?: Dispatcher;
  connections?: number;
  /** Milliseconds to wait for response headers. */
  timeoutMs?: number;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** Where a URL is safe to print: no user info, no query (which may carry a token). */
export function displayUrl(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '<invalid url>';
  }
}

/** Builds the request headers once: auth never appears anywhere but here. */
function authHeaders(auth: BackendAuth | undefined, base: URL): Record<string, string> {
  const headers: Record<string, string> = { ...(auth?.headers ?? {}) };
  if (auth?.bearer) headers.authorization = `Bearer ${auth.bearer}`;
  const basic =
    auth?.basic ??
    (base.username
      ? { username: decodeURIComponent(base.username), password: decodeURIComponent(base.password) }
      : undefined);
  if (basic)
    headers.authorization = `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString('base64')}`;
  return headers;
}

/** ComfyUI's HTTP API over one keep-alive undici pool. */
export class ComfyHttp {
  readonly name: string;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #prefix: string;
  readonly #origin: string;
  readonly #headers: Record<string, string>;
  readonly #timeoutMs: number;

  constructor(options: ComfyHttpOptions) {
    const base = new URL(options.baseUrl);
    this.name = displayUrl(options.baseUrl);
    this.#origin = base.origin;
    this.#prefix = base.pathname.replace(/\/+$/, '');
    this.#headers = authHeaders(options.auth, base);
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#ownsDispatcher = !options.dispatcher;
    this.#dispatcher =
      options.dispatcher ??
      new Pool(this.#origin, {
        connections: options.connections ?? 16,
        keepAliveTimeout: 30_000,
        headersTimeout: this.#timeoutMs,
      });
  }

  /** Headers for the WebSocket handshake (same auth as HTTP). */
  get headers(): Record<string, string> {
    return { ...this.#headers };
  }

  async request(
    method: 'GET' | 'POST' | 'HEAD',
    path: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<Dispatcher.ResponseData> {
    const headers: Record<string, string> = { ...this.#headers, ...extraHeaders };
    let payload: Dispatcher.DispatchOptions['body'];
    if (body instanceof FormData) {
      payload = body as unknown as Dispatcher.DispatchOptions['body'];
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    try {
      return await this.#dispatcher.request({
        origin: this.#origin,
        path: this.#prefix + path,
        method,
        headers,
        body: payload,
        headersTimeout: this.#timeoutMs,
      });
    } catch (cause) {
      throw new ComfyUnreachableError(this.name, cause);
    }
  }

  /** Sends a request and reads the whole body as text, whatever the status. */
  async raw(method: 'GET' | 'POST', path: string, body?: unknown): Promise<RawResponse> {
    const res = await this.request(method, path, body);
    let text: string;
    try {
      text = await res.body.text();
    } catch (cause) {
      throw new ComfyUnreachableError(this.name, cause);
    }
    return { status: res.statusCode, headers: res.headers, text };
  }

  /** GET a JSON document; any status but 200 is a ComfyHttpError. */
  async getJson<T>(path: string): Promise<T> {
    const res = await this.raw('GET', path);
    if (res.status !== 200) throw new ComfyHttpError(res.status, 'GET', path, res.text);
    try {
      return JSON.parse(res.text) as T;
    } catch {
      throw new ComfyHttpError(res.status, 'GET', path, `not JSON: ${res.text.slice(0, 100)}`);
    }
  }

  /** POST an action whose success is an empty 200 body (/queue, /interrupt, /free, /history). */
  async postAction(path: string, body?: unknown): Promise<void> {
    const res = await this.raw('POST', path, body);
    if (res.status !== 200) throw new ComfyHttpError(res.status, 'POST', path, res.text);
  }

  /** GET a body as a stream, for outputs: nothing is buffered to disk. */
  async stream(path: string): Promise<{ body: Readable; contentType?: string; length?: number }> {
    const res = await this.request('GET', path);
    if (res.statusCode !== 200) {
      const text = await res.body.text().catch(() => '');
      throw new ComfyHttpError(res.statusCode, 'GET', path, text);
    }
    const type = res.headers['content-type'];
    const length = Number(res.headers['content-length']);
    return {
      body: res.body as unknown as Readable,
      contentType: typeof type === 'string' ? type : undefined,
      length: Number.isFinite(length) ? length : undefined,
    };
  }

  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }
}
