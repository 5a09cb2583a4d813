import { STATUS_CODES } from 'node:http';
import { Readable } from 'node:stream';
import { getGlobalDispatcher } from 'undici';

/** A response read whole into memory, shaped as the `Response` subset that REST clients read. */
export interface BufferedResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null; has(name: string): boolean };
  readonly body: Readable | null;
  readonly bodyUsed: boolean;
  arrayBuffer(): Promise<ArrayBuffer>;
  json(): Promise<unknown>;
  text(): Promise<string>;
}

/** Larger answers are refused: a REST answer is a few kilobytes; a list of members, a megabyte or two. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface BufferedRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array | null;
  signal?: AbortSignal | null;
  /** Answers over this many bytes are refused (default `MAX_BODY_BYTES`). */
  maxBodyBytes?: number;
}

class ResponseHeaders {
  readonly #raw: Record<string, string | string[] | undefined>;
  constructor(raw: Record<string, string | string[] | undefined>) {
    this.#raw = raw;
  }
  get(name: string): string | null {
    const v = this.#raw[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
  }
  has(name: string): boolean {
    return this.#raw[name.toLowerCase()] !== undefined;
  }
}

function buffered(status: number, headers: ResponseHeaders, bytes: Buffer): BufferedResponse {
  let used = false;
  const take = () => {
    used = true;
    return bytes;
  };
  return {
    status,
    statusText: STATUS_CODES[status] ?? '',
    ok: status >= 200 && status < 300,
    headers,
    get body() {
      return bytes.length ? Readable.from([take()]) : null;
    },
    get bodyUsed() {
      return used;
    },
    arrayBuffer: async () => {
      const b = take();
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    },
    json: async () => JSON.parse(take().toString('utf8')),
    text: async () => take().toString('utf8'),
  };
}

/**
 * One HTTP request through the process-wide dispatcher, its body collected into one buffer: no body
 * stream, no `Headers` object, no abort listener left per request. For small JSON APIs (Discord's REST)
 * the streams of undici's `request` cost more CPU than the request itself.
 */
export function bufferedRequest(url: string, init: BufferedRequestInit): Promise<BufferedResponse> {
  const { origin, pathname, search } = new URL(url);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const maxBytes = init.maxBodyBytes ?? MAX_BODY_BYTES;
    let status = 0;
    let headers = new ResponseHeaders({});
    const signal = init.signal ?? undefined;
    let abort: (() => void) | undefined;
    const settle = () => {
      if (abort) signal?.removeEventListener('abort', abort);
    };
    getGlobalDispatcher().dispatch(
      {
        origin,
        path: pathname + search,
        method: (init.method ?? 'GET') as 'GET',
        headers: init.headers ?? {},
        body: init.body ?? null,
      },
      {
        onRequestStart(controller) {
          if (!signal) return;
          if (signal.aborted) return controller.abort(signal.reason);
          abort = () => controller.abort(signal.reason);
          signal.addEventListener('abort', abort, { once: true });
        },
        onResponseStart(_controller, statusCode, raw) {
          status = statusCode;
          headers = new ResponseHeaders(raw as Record<string, string | string[] | undefined>);
        },
        onResponseData(controller, chunk) {
          size += chunk.length;
          if (size > maxBytes)
            return controller.abort(new Error(`response body over ${maxBytes} bytes: ${origin}${pathname}`));
          chunks.push(chunk);
        },
        onResponseEnd() {
          settle();
          resolve(buffered(status, headers, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
        },
        onResponseError(_controller, error) {
          settle();
          reject(error);
        },
      },
    );
  });
}
