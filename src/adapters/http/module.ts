import { z } from 'zod';
import { httpUrl, port } from '../../config/primitives.ts';
import type { PlatformModule } from '../../core/platforms/platform-module.ts';
import { httpDeps } from './deps.ts';
import { httpLimitsSection } from './limits.ts';
import { httpCatalog } from './messages.ts';

// The HTTP API and web page as the server and the command line see them: light on purpose (no hono here).
// API key tiers (`match: { apiKeyTier }`) are the core's: keys are made by the command line too.

const httpSection = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: port.default(8787),
  metricsKey: z.string().min(1).optional(),
  allowPrivateUrls: z.boolean().default(false),
  publicUrl: httpUrl.optional(),
  limits: httpLimitsSection,
  /** Signed links to a chat job's file too big for its platform; made only when `publicUrl` is set. */
  outputLinks: z
    .strictObject({
      /** How long a link is valid; never beyond the job's retention (`retention.jobsDays`). */
      days: z.number().positive().default(7),
      /** The signing key, shared by every process serving the links; default: made once in `dataDir`. */
      secret: z.string().min(32).optional(),
    })
    .prefault({}),
});

declare module '../../config/platform-config.ts' {
  interface PlatformSections {
    http: typeof httpSection;
  }
}

export const httpPlatform: PlatformModule = {
  name: 'http',
  configSection: {
    key: 'http',
    schema: httpSection,
    env: [
      { names: ['COMFYRELAY_HTTP_HOST'], path: ['host'], kind: 'string' },
      { names: ['COMFYRELAY_HTTP_PORT'], path: ['port'], kind: 'number' },
      { names: ['COMFYRELAY_PUBLIC_URL'], path: ['publicUrl'], kind: 'string' },
      { names: ['COMFYRELAY_METRICS_KEY'], path: ['metricsKey'], kind: 'string' },
      { names: ['COMFYRELAY_LINK_SECRET'], path: ['outputLinks', 'secret'], kind: 'string' },
    ],
  },
  catalog: httpCatalog,
  // Always on: the API and the web page are how an operator without a chat bot uses the relay.
  async start({ ports, config }) {
    const { startHttp } = await import('./index.ts');
    const server = await startHttp(httpDeps(ports, config));
    return {
      close: server.close,
      notices: [
        { code: 'http.start.listening', params: { url: server.url } },
        { code: server.openLoopback ? 'http.start.openLoopback' : 'http.start.keysRequired' },
      ],
    };
  },
};
