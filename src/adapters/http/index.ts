import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { AssetStore } from '../../core/assets/asset-store.ts';
import type { ApiKeys } from '../../core/keys/api-keys.ts';
import type { HttpDeps } from './deps.ts';
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
  /** Time between a running job's progress events (default 500 ms; tests shorten it). */
  progressIntervalMs?: number;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Builds the HTTP front end, registers it with the engine and listens. With no API key at all the server
 * binds 127.0.0.1 whatever `http.host` says, and needs no key there.
 */
export async function startHttp(deps: HttpDeps, options: StartHttpOptions = {}): Promise<HttpServer> {
  const { jobs, keys, assets, log, config } = deps;
  const events = new EventLog();
  const frontEnd = new HttpFrontEnd({
    jobs,
    assets,
    keys,
    events,
    log,
    allowPrivateUrls: config.allowPrivateUrls,
    webhookDelayMs: options.webhookDelayMs,
    progressIntervalMs: options.progressIntervalMs,
  });
  jobs.registerFrontEnd(frontEnd);
  const openLoopback = !(await keys.any());
  const hostname = openLoopback ? '127.0.0.1' : config.host;
  const routes = createRoutes({ ...deps, events, frontEnd, loopbackOnly: LOOPBACK.has(hostname) });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: routes.fetch, hostname, port: options.port ?? config.port }, () => resolve(s));
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
