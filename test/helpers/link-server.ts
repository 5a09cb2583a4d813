import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { Env } from '../../src/adapters/http/context.ts';
import { outputFiles } from '../../src/adapters/http/output-files.ts';
import type { App } from '../../src/core/app.ts';
import { DEFAULT_LINK_TTL_MS, type OutputLinks, outputLinks } from '../../src/core/jobs/output-links.ts';
import { resultReader } from '../../src/core/ports/result-reader.ts';

export interface LinkServer {
  /** Links on this server's address, to hand to a front end before its app exists. */
  links: OutputLinks;
  /** The app whose jobs the links name (set once the harness has started it; again after a restart). */
  serve(app: () => App): void;
  close(): Promise<void>;
}

/** The HTTP adapter's `/files` route alone on a free loopback port, reading the jobs of a harness's app. */
export async function startLinkServer(): Promise<LinkServer> {
  let app: (() => App) | undefined;
  const routes = outputFiles({
    links: { check: (...a) => links.check(...a) },
    jobs: { get: async (id) => app?.().engine.get(id) },
    results: { read: (job) => resultReader(app!().pool).read(job) },
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve(
      { fetch: new Hono<Env>().route('/files', routes).fetch, hostname: '127.0.0.1', port: 0 },
      () => resolve(s),
    );
  });
  const { port } = server.address() as AddressInfo;
  const links = outputLinks({
    baseUrl: `http://127.0.0.1:${port}`,
    secret: Buffer.alloc(32, 42),
    ttlMs: DEFAULT_LINK_TTL_MS,
    retentionMs: 30 * DEFAULT_LINK_TTL_MS,
    now: () => Date.now(),
  });
  return {
    links,
    serve: (a) => {
      app = a;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

/**
 * A harness started with the links of a new link server, which serves that harness's app; `close` closes
 * the harness, then the server.
 */
export async function startLinked<H extends { app: App; close(): Promise<void> }>(
  start: (links: OutputLinks) => Promise<H>,
): Promise<{ h: H; close(): Promise<void> }> {
  const server = await startLinkServer();
  const h = await start(server.links);
  server.serve(() => h.app);
  const close = async () => {
    await h.close();
    await server.close();
  };
  return { h, close };
}

/** The link a message holds, if any. */
export const linkIn = (text: string): string | undefined =>
  /http:\/\/127\.0\.0\.1:\d+\/files\/\w+\/\d+\?exp=\d+&sig=[\w-]{43}/.exec(text)?.[0];

/** Asserts that `url` serves the `ext` file of the job it names, as `mime`, byte for byte. */
export async function assertLinkServes(app: App, url: string, ext: string, mime: string): Promise<void> {
  const res = await fetch(url);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), mime);
  const served = Buffer.from(await res.arrayBuffer());
  const jobId = new URL(url).pathname.split('/')[2]!;
  const read = await resultReader(app.pool).read((await app.engine.get(jobId))!);
  assert.ok(read.ok);
  const made = read.value.files.find((f) => f.filename.endsWith(ext))!;
  assert.deepEqual(served, made.bytes);
}
