import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestContext, requireKey } from './auth.ts';
import type { Deps, Env } from './context.ts';
import { fail } from './errors.ts';
import { health } from './health.ts';
import { openApiDocument } from './openapi.ts';
import { relay } from './relay.ts';
import { v2Assets } from './v2-assets.ts';
import { v2Jobs } from './v2-jobs.ts';

const PAGE_DIR = join(import.meta.dirname, 'page');
const PAGE: Record<string, [string, string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/style.css': ['style.css', 'text/css; charset=utf-8'],
};

/** The routes: health, the OpenAPI document, the page, then everything under /api behind a key. */
export function createRoutes(deps: Deps): Hono<Env> {
  const api = new Hono<Env>();
  api.use('*', requestContext(deps));
  api.route('/', health);
  const openapi = JSON.stringify(openApiDocument(deps.app.config.http.publicUrl));
  api.get('/api/openapi.json', (c) => c.body(openapi, 200, { 'Content-Type': 'application/json' }));
  for (const [path, [file, type]] of Object.entries(PAGE)) {
    const content = readFileSync(join(PAGE_DIR, file));
    api.get(path, (c) =>
      c.body(content, 200, {
        'Content-Type': type,
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
      }),
    );
  }
  api.use(
    '/api/*',
    bodyLimit({
      maxSize: 60 * 1024 * 1024,
      onError: (c) => fail(c as never, 413, 'too_large', { code: 'http.asset.tooLarge', params: { mb: 60 } }),
    }),
  );
  api.use('/api/*', requireKey);
  api.route('/api/v2/jobs', v2Jobs);
  api.route('/api/v2/assets', v2Assets);
  api.route('/api/relay', relay);
  api.notFound((c) => fail(c, 404, 'not_found', { code: 'http.notFound' }));
  api.onError((error, c) => {
    deps.app.log.error({ err: String(error), path: c.req.path }, 'http handler failed');
    return c.json({ error: { code: 'internal', message: 'Internal error', details: null } }, 500);
  });
  return api;
}
