import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_CODES } from './script.ts';

export type Req = IncomingMessage;
export type Res = ServerResponse;

export function sendJson(
  res: Res,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** The spec's error envelope. */
export function sendError(
  res: Res,
  status: number,
  o: { code?: string; message?: string; details?: Record<string, unknown>; retryAfter?: number } = {},
): void {
  const headers: Record<string, string> =
    o.retryAfter === undefined ? {} : { 'retry-after': String(o.retryAfter) };
  sendJson(
    res,
    status,
    {
      error: {
        code: o.code ?? DEFAULT_CODES[status] ?? 'error',
        message: o.message ?? `HTTP ${status}`,
        details: o.details ?? null,
      },
    },
    headers,
  );
}

export async function readBody(req: Req): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function readJson(req: Req): Promise<Record<string, unknown> | undefined> {
  try {
    const parsed: unknown = JSON.parse((await readBody(req)).toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A multipart body, parsed the way fetch does it. */
export async function readForm(req: Req): Promise<FormData | undefined> {
  const body = await readBody(req);
  try {
    return await new Request('http://local/', {
      method: 'POST',
      headers: { 'content-type': String(req.headers['content-type'] ?? '') },
      body: new Uint8Array(body),
    }).formData();
  } catch {
    return undefined;
  }
}

export async function listen(
  handler: (req: Req, res: Res) => Promise<void>,
): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    handler(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, { message: String(error) });
      else res.destroy();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}` };
}

export function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((r) => server.close(() => r()));
}
