import { DefaultRestOptions, type RESTOptions } from '@discordjs/rest';
import type { PlatformHttp } from '../../core/ports/platform-http.ts';

/**
 * How Discord's REST client sends each request.
 * - JSON and bodiless requests (deferrals, edits, followups: nearly all of them) go through the core's
 *   `PlatformHttp`, which reads each answer whole. @discordjs/rest's default (undici's `request`) builds
 *   a body stream, a `Headers` and abort listeners per request: at a burst of 500 /imagine that was about
 *   a sixth of the CPU spent before the last deferral (bench/discord-burst.ts).
 * - Uploads (FormData bodies) go through Node's fetch: once our undici 8 owns the global dispatcher,
 *   @discordjs/rest's bundled undici 6 refuses the FormData they are built with ("body must be a FormData
 *   created by this undici package instance").
 * - Anything else (other body types, a dispatcher of its own) keeps the library's default.
 */
export function restRequests(http: PlatformHttp): RESTOptions['makeRequest'] {
  return (url, init) => {
    const { body, headers, method, signal } = init;
    if (body instanceof FormData) return fetch(url, init as RequestInit) as never;
    const plain = body == null || typeof body === 'string' || body instanceof Uint8Array;
    const ownDispatcher = (init as { dispatcher?: unknown }).dispatcher !== undefined;
    if (!plain || ownDispatcher || (headers !== undefined && !isRecord(headers)))
      return DefaultRestOptions.makeRequest(url, init);
    return http.request(url, {
      ...(method ? { method } : {}),
      ...(headers ? { headers: headers as Record<string, string> } : {}),
      body: body ?? null,
      signal: signal ?? null,
    }) as never;
  };
}

const isRecord = (h: unknown): boolean =>
  typeof h === 'object' && h !== null && !Array.isArray(h) && !(h instanceof Headers);
