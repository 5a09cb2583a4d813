/**
 * HTTP pipeline: body reading with the 25 MiB request cap, JSON or multipart
 * (`files[n]` + `payload_json`), bot-token auth, 429 injection, rate-limit
 * headers, Discord error JSON, and violation/request recording.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DiscordFailure, Fail, Rules } from './errors.ts';
import { Limits } from './limits.ts';
import type { UploadedFile } from './messages.ts';
import type { RateLimits } from './ratelimit.ts';
import type { FakeState, Obj } from './state.ts';

export interface RequestCtx {
  method: string;
  /** Decoded path after `/api/v10`. */
  path: string;
  query: URLSearchParams;
  params: string[];
  body: Obj;
  files: UploadedFile[];
  /** Set by handlers so violations name the interaction/message. */
  interactionId?: string;
  messageId?: string;
}

export interface RouteResult {
  status: number;
  body?: unknown;
}

export interface Route {
  method: string;
  pattern: RegExp;
  /** Needs `Authorization: Bot <token>`. Interaction callbacks and webhooks do not. */
  auth: boolean;
  /** Bucket key: route template plus major parameter. */
  bucket: (params: string[]) => string;
  handle: (ctx: RequestCtx) => RouteResult | Promise<RouteResult>;
}

export interface PipelineDeps {
  state: FakeState;
  routes: Route[];
  rateLimits: RateLimits;
  token: string;
  /** Serves non-API paths (attachments); return false when not handled. */
  serveStatic: (path: string, res: ServerResponse) => boolean;
}

// Events rather than `for await`: an async iterator per request was a tenth of this fake's CPU in a
// burst of interaction callbacks (bench/discord-burst.ts), time the bench then counted as latency.
function readBody(req: IncomingMessage): Promise<{ buf: Buffer; size: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Keep draining past the cap so the client is not reset mid-upload, but stop buffering.
      if (size <= Limits.requestSize + 1024 * 1024) chunks.push(chunk);
    });
    req.once('end', () => resolve({ buf: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), size }));
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete) reject(new Error('request aborted before its body ended'));
    });
  });
}

async function parseBody(req: IncomingMessage, buf: Buffer): Promise<{ body: Obj; files: UploadedFile[] }> {
  const type = req.headers['content-type'] ?? '';
  if (buf.length === 0) return { body: {}, files: [] };
  if (type.startsWith('multipart/form-data')) {
    const form = await new Request('http://fake/', {
      method: 'POST',
      headers: { 'content-type': type },
      body: new Uint8Array(buf),
    }).formData();
    const files: UploadedFile[] = [];
    let body: Obj = {};
    const entries: [string, FormDataEntryValue][] = [];
    form.forEach((value, key) => {
      entries.push([key, value]);
    });
    for (const [key, value] of entries) {
      if (key === 'payload_json' && typeof value === 'string') body = JSON.parse(value) as Obj;
      else if (typeof value !== 'string') {
        const index = /^files?\[(\w+)\]$/.exec(key)?.[1] ?? String(files.length);
        files.push({
          index,
          name: value.name,
          contentType: value.type || 'application/octet-stream',
          bytes: new Uint8Array(await value.arrayBuffer()),
        });
      }
    }
    return { body, files };
  }
  return { body: JSON.parse(buf.toString('utf8')) as Obj, files: [] };
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function createHandler(deps: PipelineDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { state, routes, rateLimits } = deps;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://fake');
    // discord.js sends `%40original`; match on the decoded path.
    const fullPath = decodeURIComponent(url.pathname);
    const { buf, size } = await readBody(req);
    if (!fullPath.startsWith('/api/v10/')) {
      if (!deps.serveStatic(fullPath, res)) sendJson(res, 404, { message: '404: Not Found', code: 0 });
      return;
    }
    const path = fullPath.slice('/api/v10'.length);
    const authorized = req.headers.authorization === `Bot ${deps.token}`;
    const log = (status: number): void => {
      state.requests.push({ method, path, status, at: state.now(), authorized });
    };
    let route: Route | undefined;
    let params: string[] = [];
    for (const r of routes) {
      const m = r.method === method ? r.pattern.exec(path) : null;
      if (m) {
        route = r;
        params = m.slice(1);
        break;
      }
    }
    const bucket = route ? route.bucket(params) : `${method} ${path}`;
    const limited = rateLimits.check(method, path, bucket);
    if (limited.tooEarly)
      state.violate({
        rule: Rules.retryTooEarly,
        status: 0,
        code: 0,
        message: 'Request sent before the previous 429 Retry-After elapsed',
        method,
        path,
      });
    if (limited.answer) {
      log(429);
      sendJson(res, 429, limited.answer.body, limited.answer.headers);
      return;
    }
    const ctx: RequestCtx = { method, path, query: url.searchParams, params, body: {}, files: [] };
    try {
      if (!route) throw Fail.noRoute(method, path);
      if (route.auth && !authorized) throw Fail.unauthorized();
      if (size > Limits.requestSize) throw Fail.requestTooLarge();
      const parsed = await parseBody(req, buf).catch(() => {
        throw Fail.invalidJson();
      });
      ctx.body = parsed.body;
      ctx.files = parsed.files;
      const result = await route.handle(ctx);
      log(result.status);
      sendJson(res, result.status, result.body, rateLimits.headers(bucket));
    } catch (err) {
      const failure = err instanceof DiscordFailure ? err : undefined;
      if (!failure) {
        log(500);
        sendJson(res, 500, { message: `fake-discord internal error: ${String(err)}`, code: 0 });
        return;
      }
      state.violate({
        rule: failure.rule,
        status: failure.status,
        code: failure.body.code,
        message: failure.body.message,
        method,
        path,
        ...(ctx.interactionId ? { interactionId: ctx.interactionId } : {}),
        ...(ctx.messageId ? { messageId: ctx.messageId } : {}),
        ...(failure.body.errors ? { detail: failure.body.errors } : {}),
      });
      log(failure.status);
      sendJson(res, failure.status, failure.body, route ? rateLimits.headers(bucket) : {});
    }
  };
  return (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { message: String(err), code: 0 });
    });
  };
}
