import type { Context } from 'hono';
import type { z } from 'zod';
import type { Env } from './context.ts';
import { fail } from './errors.ts';
import { FIELD_LIMITS } from './limits.ts';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** How deep `{`/`[` nest in JSON text (strings skipped), stopping early once past `max`. */
export function jsonDepth(text: string, max = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92) i++;
      else if (ch === 34) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 123 || ch === 91) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > max) return deepest;
    } else if (ch === 125 || ch === 93) depth--;
  }
  return deepest;
}

/** The zod issues as one line: `path: message; …` (paths of user input, never of our files). */
export const issuesText = (error: z.ZodError, prefix = ''): string =>
  error.issues.map((i) => `${prefix}${i.path.map(String).join('.')}: ${i.message}`).join('; ');

/**
 * A JSON request body checked before anyone walks it: declared as JSON (so no cross-site "simple"
 * request gets this far), valid, and nested at most `FIELD_LIMITS.jsonDepth` deep (recursion over a
 * 100,000-deep body would overflow the stack). The text is kept for the idempotency body hash.
 */
export async function readJson(c: Context<Env>): Promise<{ value: unknown; text: string } | Response> {
  if (!JSON_TYPE.test(c.req.header('content-type') ?? ''))
    return fail(c, 415, 'unsupported_media_type', { code: 'http.json.contentType' });
  const text = await c.req.text();
  const max = FIELD_LIMITS.jsonDepth;
  if (jsonDepth(text, max) > max)
    return fail(c, 400, 'invalid_request', { code: 'http.json.tooDeep', params: { max } });
  let protoKey = false;
  let value: unknown;
  try {
    // `__proto__` is an ordinary key to JSON.parse but reaches the prototype wherever the object is
    // copied (zod drops it silently): refused everywhere, like any other key nobody accepts.
    value = JSON.parse(text, (key, v: unknown) => {
      if (key === '__proto__') protoKey = true;
      return v;
    });
  } catch {
    return fail(c, 400, 'invalid_request', { code: 'http.json.invalid' });
  }
  if (protoKey) return fail(c, 400, 'invalid_request', { code: 'http.json.reservedKey' });
  return { value, text };
}

/**
 * `readJson`, then `schema`; a shape problem is `status` (400 for the relay, 422 for Comfy API v2).
 * `first` may refuse the parsed body before its shape is judged (a size rule of its own).
 */
export async function readBody<S extends z.ZodType>(
  c: Context<Env>,
  schema: S,
  refusal: { status: 400 | 422; code: string },
  first?: (read: { value: unknown; text: string }) => Response | undefined,
): Promise<{ data: z.infer<S>; text: string } | Response> {
  const read = await readJson(c);
  if (read instanceof Response) return read;
  const refused = first?.(read);
  if (refused) return refused;
  const parsed = schema.safeParse(read.value);
  if (!parsed.success)
    return fail(c, refusal.status, refusal.code, {
      code: 'http.badRequest',
      params: { details: issuesText(parsed.error) },
    });
  return { data: parsed.data, text: read.text };
}
