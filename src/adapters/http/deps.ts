import type { Config } from '../../config/index.ts';
import type { Logger } from '../../core/logger.ts';
import type { Metrics } from '../../core/metrics.ts';
import type { ApiPorts } from '../../core/ports/api-ports.ts';
import type { JobsPort } from '../../core/ports/jobs-port.ts';
import type { QuotaReport } from '../../core/ports/quota-report.ts';
import type { RelayPorts } from '../../core/ports/relay-ports.ts';
import type { TemplateCatalog } from '../../core/ports/template-catalog.ts';
import type { OutputFileDeps } from './output-files.ts';

// What the HTTP front end is started with. Light on purpose (no hono): the descriptor builds it.

export type HttpConfig = Config['http'];

export interface HttpDeps extends ApiPorts {
  jobs: Pick<
    JobsPort,
    'submit' | 'get' | 'cancel' | 'position' | 'listForUser' | 'queueSnapshot' | 'registerFrontEnd'
  >;
  templates: Pick<TemplateCatalog, 'list' | 'imagine'>;
  /** Read before fetching an `image_url`, so a caller over quota makes the server fetch nothing. */
  quota: QuotaReport;
  /** `/metrics` serves its registry. */
  metrics: Pick<Metrics, 'registry'>;
  log: Logger;
  config: HttpConfig;
  /** `/readyz` says the queue is full at `global.waiting`; a key's tier sets its outputs' safety floor. */
  quotas: Pick<Config['quotas'], 'global' | 'tiers'>;
  /** Signed links to chat jobs' files (`/files/…`): only with `http.publicUrl`. */
  outputFiles?: OutputFileDeps;
}

/** The HTTP front end's part of the core's ports and of the configuration. */
export function httpDeps(ports: RelayPorts, config: Config): HttpDeps {
  const { jobs, templates, quota, metrics, log, api } = ports;
  return {
    ...api,
    jobs,
    templates,
    quota,
    metrics,
    log,
    config: config.http,
    quotas: { global: config.quotas.global, tiers: config.quotas.tiers },
    ...(ports.links ? { outputFiles: { links: ports.links, jobs, results: ports.results } } : {}),
  };
}
