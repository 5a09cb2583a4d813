import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { App } from '../../core/app.ts';
import type { AssetStore } from '../../core/assets/asset-store.ts';
import { ApiKeys } from '../../core/keys/api-keys.ts';
import { EventLog } from './event-log.ts';
import { HttpFrontEnd } from './front-end.ts';
import { createRoutes } from './server.ts';
import './messages.ts';

export interface HttpServer {
  url: string;
  /** Bound to loopback because no API key existed at start. */
  openLoopback: boolean;
  frontEnd: HttpFrontEnd;
  keys: ApiKeys;
  assets: AssetStore;
  close(): Promise<void>;
}

export interface StartHttpOptions {
  /** Override `http.port` (0: any free port, for tests). */
  port?: number;
  webhookDelayMs?: number;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Builds the HTTP front end, registers it with the engine and listens. With no API key at all the server
 * binds 127.0.0.1 whatever `http.host` says, and needs no key there.
 */
export async function startHttp(app: App, options: StartHttpOptions = {}): Promise<HttpServer> {
  const keys = new ApiKeys(app.storage.keys);
  const { assets } = app;
  const events = new EventLog();
  const frontEnd = new HttpFrontEnd({ app, assets, keys, events, webhookDelayMs: options.webhookDelayMs });
  app.engine.registerFrontEnd(frontEnd);
  const openLoopback = !(await keys.any());
  const hostname = openLoopback ? '127.0.0.1' : app.config.http.host;
  const routes = createRoutes({ app, keys, assets, events, frontEnd, loopbackOnly: LOOPBACK.has(hostname) });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: routes.fetch, hostname, port: options.port ?? app.config.http.port }, () =>
      resolve(s),
    );
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`,
    openLoopback,
    frontEnd,
    keys,
    assets,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
