/** HTTP front of the fake: `/bot<token>/<method>` and `/file/bot<token>/<file_path>` on 127.0.0.1. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from './dispatch.ts';
import { Fail, Rules } from './errors.ts';
import type { FileStore } from './files.ts';
import { checkUploadSize } from './limits.ts';
import { parseCall, readBody } from './parse.ts';
import type { FakeState } from './state.ts';

export interface ServerDeps {
  token: string;
  dispatch: Dispatcher;
  store: FileStore;
  state: FakeState;
  now: () => number;
}

const API = /^\/bot([^/]+)\/([^/]+)\/?$/;
const FILE = /^\/file\/bot([^/]+)\/(.+)$/;

export async function listen(deps: ServerDeps): Promise<{ server: Server; apiRoot: string }> {
  const server = createServer((req, res) => {
    handle(deps, req, res).catch((err: unknown) => {
      if (!res.headersSent)
        send(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${String(err)}` });
    });
  });
  server.keepAliveTimeout = 10;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, apiRoot: `http://127.0.0.1:${port}` };
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const api = API.exec(url.pathname);
  if (api) {
    const [, token = '', method = ''] = api;
    if (token !== deps.token) {
      await readBody(req);
      const f = Fail.unauthorized();
      deps.state.violate({
        rule: Rules.unauthorized,
        method,
        description: f.body.description,
        status: 401,
        rejected: true,
        at: deps.now(),
      });
      return send(res, 401, f.body);
    }
    const body = await readBody(req);
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const parse = async () => {
      const parsed = await parseCall(req.headers['content-type'], body, url.searchParams);
      for (const file of parsed.files.values()) checkUploadSize(file.bytes.length);
      delete parsed.params.method; // telegraf's multipart repeats the method name as a field
      return parsed;
    };
    const answer = await deps.dispatch(method, parse, 'http', abort.signal);
    if (!res.destroyed) send(res, answer.status, answer.body);
    return;
  }
  const file = FILE.exec(url.pathname);
  if (file && req.method === 'GET') {
    const [, token = '', path = ''] = file;
    const stored = token === deps.token ? deps.store.getByPath(decodeURIComponent(path)) : undefined;
    if (!stored) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': stored.bytes.length });
    res.end(stored.bytes);
    return;
  }
  await readBody(req);
  send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
