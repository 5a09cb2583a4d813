import { resolve } from 'node:path';
import type { Config } from '../../config/index.ts';
import { linkSecret } from '../../core/jobs/link-secret.ts';
import { type OutputLinks, outputLinks } from '../../core/jobs/output-links.ts';

const DAY_MS = 24 * 3600_000;

// Light on purpose (no hono): the composition root builds the links before any front end starts.

/**
 * The output links this configuration serves: only with `http.publicUrl` (a link must name an address
 * people can reach), valid `http.outputLinks.days` and never beyond `retention.jobsDays`.
 */
export function httpOutputLinks(
  config: Pick<Config, 'http' | 'dataDir' | 'retention'>,
  now: () => number,
): OutputLinks | undefined {
  const { publicUrl, outputLinks: o } = config.http;
  if (!publicUrl) return undefined;
  return outputLinks({
    baseUrl: publicUrl,
    secret: linkSecret(resolve(config.dataDir), o.secret),
    ttlMs: o.days * DAY_MS,
    retentionMs: config.retention.jobsDays * DAY_MS,
    now,
  });
}
