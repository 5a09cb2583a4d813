/** Turns an HTTP request (JSON, urlencoded, multipart or query string) into Bot API parameters. */
import type { IncomingMessage } from 'node:http';
import { Fail } from './errors.ts';

/** A file part of a multipart request. */
export interface Upload {
  field: string;
  filename: string;
  mime: string;
  bytes: Buffer;
}

export interface ParsedCall {
  params: Record<string, unknown>;
  files: Map<string, Upload>;
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function parseCall(
  contentType: string | undefined,
  body: Buffer,
  query: URLSearchParams,
): Promise<ParsedCall> {
  const params: Record<string, unknown> = Object.fromEntries(query);
  const files = new Map<string, Upload>();
  const ct = (contentType ?? '').toLowerCase();
  if (body.length > 0 && ct.startsWith('application/json')) {
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      throw Fail.badParameter("can't parse JSON object");
    }
    if (json && typeof json === 'object') Object.assign(params, json);
  } else if (body.length > 0 && ct.startsWith('application/x-www-form-urlencoded')) {
    Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
  } else if (body.length > 0 && ct.startsWith('multipart/form-data')) {
    const form = await new Request('http://fake.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentType ?? '' },
      body: new Uint8Array(body),
    }).formData();
    const entries: [string, FormDataEntryValue][] = [];
    form.forEach((value, name) => {
      entries.push([name, value]);
    });
    for (const [name, value] of entries) {
      if (typeof value === 'string') params[name] = value;
      else {
        files.set(name, {
          field: name,
          filename: value.name,
          mime: value.type || 'application/octet-stream',
          bytes: Buffer.from(await value.arrayBuffer()),
        });
      }
    }
  }
  return { params, files };
}

// === Parameter accessors: JSON sends typed values, forms and query strings send strings.

export function str(params: Record<string, unknown>, key: string): string | undefined {
  const v = params[key];
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : String(v);
}

export function int(params: Record<string, unknown>, key: string): number | undefined {
  const v = params[key];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) throw Fail.badParameter(`invalid ${key} specified`);
  return Math.trunc(n);
}

export function bool(params: Record<string, unknown>, key: string): boolean {
  const v = params[key];
  return v === true || v === 'true' || v === 1 || v === '1';
}

/** Object-valued parameters arrive as JSON strings in forms (telegraf stringifies reply_markup and media). */
export function json(params: Record<string, unknown>, key: string): unknown {
  const v = params[key];
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    throw Fail.badParameter(`can't parse ${key} JSON object`);
  }
}
