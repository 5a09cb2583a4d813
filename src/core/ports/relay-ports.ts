import type { Clock } from '#shared/clock.ts';
import type { App } from '../app.ts';
import { ChatService } from '../chat/chat-service.ts';
import { isForOperator } from '../chat/person-errors.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { type ApiPorts, apiPorts } from './api-ports.ts';
import { type BackendStatus, backendStatus } from './backend-status.ts';
import { type JobsPort, jobsPort } from './jobs-port.ts';
import { type PlatformHttp, platformHttp } from './platform-http.ts';
import type { OutputLinks } from '../jobs/output-links.ts';
import { type QuotaReport, quotaReport } from './quota-report.ts';
import { type ResultReader, resultReader } from './result-reader.ts';
import { screenedResults } from '../safety/screened-reader.ts';
import { type TemplateCatalog, templateCatalog } from './template-catalog.ts';

/**
 * Everything a front end may use of the core, each part as narrow as its use: no engine internals, no
 * pool, no ComfyUI client. Built once by the composition root (`relayPorts`); a front end takes the parts
 * it needs (`{ jobs, results, templates, chat, clock, log }`) and its own section of the configuration.
 */
export interface RelayPorts {
  jobs: JobsPort;
  results: ResultReader;
  templates: TemplateCatalog;
  backends: BackendStatus;
  quota: QuotaReport;
  /** The chat core all chat front ends share (settings and links cached once, for linked accounts too). */
  chat: ChatService;
  clock: Clock;
  log: Logger;
  /** The Prometheus registry and the instruments, for a front end that serves or feeds them. */
  metrics: Metrics;
  /** The HTTP API's keys, assets, upload staging and records. */
  api: ApiPorts;
  /** Signed links to a job's output file (served by the HTTP adapter); absent without a public URL. */
  links?: OutputLinks;
  /** Outbound HTTP for a platform's client library (its REST calls). */
  http: PlatformHttp;
}

/** The ports over a wired app, on the app's clock unless `clock` replaces it (tests). */
export function relayPorts(app: App, options: { clock?: Clock; links?: OutputLinks } = {}): RelayPorts {
  const jobs = jobsPort(app.engine);
  const results = screenedResults(resultReader(app.pool, app.log));
  const models = () => ({ backends: app.pool.backends, mapping: app.config.models });
  const templates = templateCatalog(app.templates, app.pool, app.templateErrors, models);
  const quota = quotaReport(app.quota, { pool: app.pool, budget: app.budget });
  const clock = options.clock ?? app.clock;
  const chat = new ChatService({
    jobs,
    results,
    templates,
    quota,
    storage: app.storage,
    safety: app.config.safety,
    clock,
    log: app.log,
    onOperatorProblem: (code) => app.metrics.operatorRefusals.inc({ code }),
  });
  // People read a short reason for a failed job; what ComfyUI said goes to the operator's log.
  app.engine.onTransition((job) => {
    if (job.state === 'failed' && job.error && isForOperator(job.error))
      app.log.warn(
        { job: job.id, template: job.request.template, backend: job.backend, ...job.error },
        'job failed on the server',
      );
  });
  return {
    jobs,
    results,
    templates,
    backends: backendStatus(app.pool),
    quota,
    chat,
    clock,
    log: app.log,
    metrics: app.metrics,
    api: apiPorts(app),
    http: platformHttp,
    ...(options.links ? { links: options.links } : {}),
  };
}
