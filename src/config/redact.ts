/**
 * Secrets never reach logs or error messages. A value is secret when any key on its path looks like
 * one (tokens, keys, passwords, secrets, auth blocks, HTTP headers); credentials inside URLs
 * (`redis://user:pass@host`) are hidden too.
 */
const SECRET_KEY = /token|secret|password|passwd|key|bearer|auth|cookie|headers/i;
export const REDACTED = '***';

export function isSecretPath(path: readonly (string | number)[]): boolean {
  return path.some((k) => typeof k === 'string' && SECRET_KEY.test(k));
}

/** `http://user:pass@host/x` → `http://***@host/x`; other text is returned unchanged. */
export function redactUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, `$1${REDACTED}@`);
}

/** A copy of the configuration that is safe to log. */
export function redactConfig<T>(config: T): T {
  return redactValue(config, []) as T;
}

function redactValue(value: unknown, path: (string | number)[]): unknown {
  if (value === undefined || value === null) return value;
  if (isSecretPath(path) && typeof value !== 'object') return REDACTED;
  if (Array.isArray(value)) return value.map((v, i) => redactValue(v, [...path, i]));
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, [...path, k])]));
  }
  return typeof value === 'string' ? redactUrl(value) : value;
}

/** Every secret string in a raw configuration, so they can be scrubbed from any text shown. */
export function secretStrings(value: unknown, path: (string | number)[] = []): string[] {
  if (typeof value === 'string') {
    const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^/@\s]+)@/i.exec(value)?.[1];
    if (isSecretPath(path)) return value.length >= 4 ? [value] : [];
    return userinfo ? [userinfo] : [];
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) =>
      secretStrings(v, [...path, Array.isArray(value) ? Number(k) : k]),
    );
  }
  return [];
}

export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.replaceAll(s, REDACTED);
  return out;
}
