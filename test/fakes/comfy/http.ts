// aiohttp's response conventions: json_response, bare web.Response, and the plain-text error pages.
import { type IncomingMessage, STATUS_CODES, type ServerResponse } from 'node:http';

export const MAX_UPLOAD_SIZE = 100 * 1024 * 1024;

export class HttpError extends Error {
  readonly status: number;
  constructor(status: number) {
    super(`HTTP ${status}`);
    this.status = status;
  }
}

/** JSON with object keys emitted in Map order, so numeric-looking ids keep insertion order. */
export function orderedJson(value: unknown): string {
  if (value instanceof Map) {
    const parts = [...value].map(([k, v]) => `${JSON.stringify(String(k))}:${orderedJson(v)}`);
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function sendJson(res: ServerResponse, body: unknown, status = 200): void {
  sendJsonText(res, orderedJson(body), status);
}

export function sendJsonText(res: ServerResponse, text: string, status = 200): void {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** web.Response(status=...) with no body. */
export function sendEmpty(res: ServerResponse, status = 200): void {
  res.writeHead(status, { 'Content-Type': 'application/octet-stream', 'Content-Length': 0 });
  res.end();
}

const TEXT_BODIES: Record<number, string> = {
  404: '404: Not Found',
  405: '405: Method Not Allowed',
  413: '413: Request Entity Too Large',
  500: '500 Internal Server Error\n\nServer got itself in trouble',
};

export function sendText(
  res: ServerResponse,
  status: number,
  text = TEXT_BODIES[status] ?? `${status}: ${STATUS_CODES[status] ?? 'Unknown'}`,
): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_UPLOAD_SIZE) throw new HttpError(413);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** aiohttp request.json(): anything unparsable is an unhandled exception, i.e. a 500. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(500);
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
