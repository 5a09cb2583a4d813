import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { UserMessage } from '#shared/i18n.ts';
import { accessLog } from './access-log.ts';
import { base64Length } from './base64-image.ts';
import { requestContext, requireKey } from './auth.ts';
import type { Deps, Env } from './context.ts';
import { fail } from './errors.ts';
import { createGuards } from './guards.ts';
import { health } from './health.ts';
import { openModeGuard } from './open-mode-guard.ts';
import { openApiDocument } from './openapi.ts';
import { outputFiles } from './output-files.ts';
import { relay } from './relay.ts';
import { baseSecurityHeaders, pageSecurityHeaders } from './security-headers.ts';
import { uploadGate } from './uploads.ts';
import { v2Assets } from './v2-assets.ts';
import { v2Jobs } from './v2-jobs.ts';

const PAGE_DIR = join(import.meta.dirname, 'page');
const PAGE: Record<string, [string, string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/style.css': ['style.css', 'text/css; charset=utf-8'],
};

/** A body limit whose refusal names the limit that applies (an upload's or a JSON body's). */
const limitBody = (maxSize: number, size: string, message?: UserMessage): MiddlewareHandler<Env> =>
  bodyLimit({
    maxSize,
    onError: (c) =>
      fail(c as never, 413, 'too_large', message ?? { code: 'http.body.tooLarge', params: { size } }),
  });

/**
 * The routes: health, the OpenAPI document, the page, then everything under /api behind a key. Every
 * request is logged, gets the security headers, and, while the server has no keys, must come from this
 * machine's own pages (`openModeGuard`).
 */
export function createRoutes(deps: Deps): Hono<Env> {
  const guards = createGuards(deps);
  const { limits } = guards;
  const api = new Hono<Env>();
  api.use('*', requestContext(deps, guards));
  api.use('*', accessLog);
  api.use('*', baseSecurityHeaders);
  api.use('*', openModeGuard);
  api.route('/', health);
  const openapi = JSON.stringify(openApiDocument(deps.config.publicUrl));
  api.get('/api/openapi.json', (c) => c.body(openapi, 200, { 'Content-Type': 'application/json' }));
  for (const [path, [file, type]] of Object.entries(PAGE)) {
    const content = readFileSync(join(PAGE_DIR, file));
    api.get(path, pageSecurityHeaders, (c) =>
      c.body(content, 200, { 'Content-Type': type, 'Cache-Control': 'no-cache' }),
    );
  }
  // Signed links to chat jobs' files: the link is the credential, no key.
  if (deps.outputFiles) api.route('/files', outputFiles(deps.outputFiles));
  // Keys first: nobody without one gets a body read. Then an upload takes its per-key and process
  // slots before its body is read; it streams to disk under its own size limit (see `upload`).
  api.use('/api/*', requireKey);
  const jsonLimit = limitBody(limits.jsonKb * 1024, `${limits.jsonKb} KB`);
  // An imagine may carry its input image as base64 (`image_base64`, a data: URL): room for one upload more.
  const imagineKb = limits.jsonKb + Math.ceil(base64Length(limits.uploadMb * 1024 * 1024) / 1024) + 1;
  const imagineLimit = limitBody(imagineKb * 1024, `${imagineKb} KB`, {
    code: 'http.body.tooLargeImagine',
    params: { kb: limits.jsonKb, mb: limits.uploadMb },
  });
  api.use('/api/*', (c, next) => {
    const path = c.req.method === 'POST' ? c.req.path.replace(/\/+$/, '') : '';
    if (path === '/api/v2/assets') return uploadGate(c, next);
    return (path === '/api/relay/imagine' ? imagineLimit : jsonLimit)(c, next);
  });
  api.route('/api/v2/jobs', v2Jobs);
  api.route('/api/v2/assets', v2Assets);
  api.route('/api/relay', relay);
  api.notFound((c) => fail(c, 404, 'not_found', { code: 'http.notFound' }));
  api.onError((error, c) => {
    // A malformed request Hono itself refused (an unreadable body…): the client's problem, said plainly.
    if (error instanceof HTTPException && error.status < 500)
      return fail(c, error.status, 'invalid_request', {
        code: 'http.badRequest',
        params: { details: 'malformed request' },
      });
    deps.log.error({ err: String(error), path: c.req.path }, 'http handler failed');
    return c.json({ error: { code: 'internal', message: 'Internal error', details: null } }, 500);
  });
  return api;
}
