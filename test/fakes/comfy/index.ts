// A fake ComfyUI 0.3.64 (or newest) server for tests: HTTP + WebSocket on 127.0.0.1, scriptable faults.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { posix } from 'node:path';
import { ROOTS } from './files.ts';
import { HttpError, readBody, sendText } from './http.ts';
import { jpegBytes, pngBytes } from './images.ts';
import { route } from './routes.ts';
import { type HttpFault, ServerState } from './state.ts';
import type { FakeComfyOptions, JsonValue, QueueItem, RecordedRequest } from './types.ts';

export type { FakeComfyOptions, RecordedRequest } from './types.ts';

export type FakeComfy = {
  url: string;
  wsUrl: string;
  port: number;
  close(): Promise<void>;
  /** Close and listen again on the same port: queue, history, running job, sockets and temp files are lost. */
  restart(): Promise<void>;
  /** Terminate every websocket now, without a close frame. */
  dropSockets(): void;
  /** While on, the running job stops advancing (between steps/nodes). */
  stall(on: boolean): void;
  /** Make a node (by id or class_type) raise at run time with the recorded execution_error shape. */
  failNode(nodeIdOrClassType: string, message?: string, exceptionType?: string): void;
  /** Answer requests whose path matches with a plain error, `times` times (default: always). */
  failHttp(pathPattern: string | RegExp, status?: number, times?: number): void;
  /**
   * Handle requests whose path matches as usual (a POST /prompt is queued), but cut the connection instead
   * of answering, `times` times (default once): the client cannot tell whether it worked.
   */
  dropResponses(pathPattern: string | RegExp, times?: number): void;
  /** Throttle GET /view bodies; undefined restores full speed. */
  slowView(bytesPerSecond: number | undefined): void;
  setStepDelay(ms: number): void;
  clearFaults(): void;
  /** Put a file in input/ (e.g. for LoadImage), as if it had been there all along. */
  addInputFile(name: string, bytes: Buffer): void;
  /** Resolves when no job runs and none is pending. */
  idle(): Promise<void>;
  requests: RecordedRequest[];
  interrupts: { global: number; byPromptId: string[] };
  /** Upload references as LoadImage takes them ("sub/name.png"), in upload order. */
  uploads(): string[];
  queueIds(): { running: string | null; pending: string[] };
  /** Client ids that currently have a registered socket. */
  connectedClients(): string[];
};

/** The `status` of an HTTP fault that handles the request and then drops the connection unanswered. */
const DROP_RESPONSE = -1;

function dropResponse(res: ServerResponse): void {
  res.writeHead = (() => res) as never;
  res.end = (() => {
    res.socket?.destroy();
    return res;
  }) as never;
}

function matches(pattern: string | RegExp, path: string): boolean {
  const bare = path.startsWith('/api/') ? path.slice(4) : path;
  return typeof pattern === 'string'
    ? path.startsWith(pattern) || bare.startsWith(pattern)
    : pattern.test(path) || pattern.test(bare);
}

function takeFault(faults: HttpFault[], path: string): HttpFault | undefined {
  const fault = faults.find((f) => f.remaining > 0 && matches(f.pattern, path));
  if (fault) fault.remaining--;
  return fault;
}

export async function startFakeComfy(options: FakeComfyOptions = {}): Promise<FakeComfy> {
  const previewJpeg = await jpegBytes(64, 64, [90, 120, 200]);
  const state = new ServerState(options, previewJpeg);
  const inputs = options.inputFiles ?? { 'example.png': await pngBytes(64, 64, [200, 200, 200]) };
  for (const [name, bytes] of Object.entries(inputs)) state.store.put(posix.join(ROOTS.input, name), bytes);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    try {
      const body = await readBody(req);
      const recorded: RecordedRequest = {
        method,
        path: url.pathname + url.search,
        query: Object.fromEntries(url.searchParams),
        t: Date.now(),
      };
      if (body.length > 0 && !(req.headers['content-type'] ?? '').startsWith('multipart/')) {
        try {
          recorded.json = JSON.parse(body.toString('utf8')) as JsonValue;
        } catch {}
      }
      state.requests.push(recorded);
      const fault = takeFault(state.httpFaults, url.pathname);
      if (fault?.status === DROP_RESPONSE) dropResponse(res);
      else if (fault) return sendText(res, fault.status);
      await route(
        state,
        {
          method,
          path: url.pathname,
          query: url.searchParams,
          body,
          contentType: req.headers['content-type'] ?? '',
        },
        res,
      );
    } catch (e) {
      if (res.headersSent) res.destroy();
      else sendText(res, e instanceof HttpError ? e.status : 500);
    }
  };

  const port = options.port ?? 0;
  let server: Server;
  const listen = async (p: number): Promise<number> => {
    server = createServer((req, res) => void handle(req, res));
    server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== '/ws' && url.pathname !== '/api/ws') return void socket.destroy();
      state.hub.handleUpgrade(req, socket, head, url.searchParams.get('clientId'));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(p, '127.0.0.1', () => resolve());
    });
    return (server.address() as AddressInfo).port;
  };
  const stop = async () => {
    state.hub.dropAll();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  const boundPort = await listen(port);

  return {
    url: `http://127.0.0.1:${boundPort}`,
    wsUrl: `ws://127.0.0.1:${boundPort}/ws`,
    port: boundPort,
    requests: state.requests,
    interrupts: state.interrupts,
    async close() {
      state.resetVolatile();
      await stop();
    },
    async restart() {
      state.resetVolatile();
      await stop();
      await listen(boundPort);
    },
    dropSockets: () => state.hub.dropAll(),
    stall: (on) => state.executor.stall(on),
    failNode(target, message = 'Simulated node failure', exceptionType = 'Exception') {
      state.executor.failures.set(target, { message, type: exceptionType });
    },
    failHttp(pattern, status = 500, times = Number.POSITIVE_INFINITY) {
      state.httpFaults.push({ pattern, status, remaining: times });
    },
    dropResponses(pattern, times = 1) {
      state.httpFaults.push({ pattern, status: DROP_RESPONSE, remaining: times });
    },
    slowView(bps) {
      state.viewBytesPerSecond = bps;
    },
    setStepDelay(ms) {
      state.executor.config.stepDelayMs = ms;
    },
    clearFaults() {
      state.executor.failures.clear();
      state.httpFaults.length = 0;
      state.viewBytesPerSecond = undefined;
      state.executor.stall(false);
    },
    addInputFile(name, bytes) {
      state.store.put(posix.join(ROOTS.input, name), bytes);
    },
    idle: () => state.executor.idle(),
    uploads: () => [...state.uploads],
    queueIds: () => ({
      running: state.queue.running?.[1] ?? null,
      pending: state.queue
        .pending()
        .sort((a: QueueItem, b: QueueItem) => (a[0] !== b[0] ? a[0] - b[0] : a[1] < b[1] ? -1 : 1))
        .map((i) => i[1]),
    }),
    connectedClients: () => state.hub.connectedIds(),
  };
}
