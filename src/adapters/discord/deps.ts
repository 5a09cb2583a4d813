import type { Config } from '../../config/index.ts';
import type { ChatService } from '../../core/chat/chat-service.ts';
import type { Logger } from '../../core/logger.ts';
import type { OutputLinks } from '../../core/jobs/output-links.ts';
import type { JobsPort } from '../../core/ports/jobs-port.ts';
import type { PlatformHttp } from '../../core/ports/platform-http.ts';
import type { QuotaReport } from '../../core/ports/quota-report.ts';
import type { RelayPorts } from '../../core/ports/relay-ports.ts';
import type { ResultReader } from '../../core/ports/result-reader.ts';
import type { TemplateCatalog } from '../../core/ports/template-catalog.ts';
import type { Clock } from '#shared/clock.ts';

// What the Discord front end is started with. Light on purpose (no discord.js): the descriptor builds it.

export type DiscordConfig = Config['discord'];

export interface DiscordDeps {
  jobs: Pick<JobsPort, 'get' | 'updateDelivery' | 'registerFrontEnd' | 'expect' | 'fulfilled'>;
  results: ResultReader;
  templates: Pick<TemplateCatalog, 'get'>;
  quota: QuotaReport;
  chat: ChatService;
  clock: Clock;
  log: Logger;
  /** Discord's REST requests (see rest-requests.ts). */
  http: PlatformHttp;
  config: DiscordConfig;
  /** Links to files over the attachment limit (absent without `http.publicUrl`: a note names them). */
  links?: Pick<OutputLinks, 'outputLink'>;
  /** Discord user ids that are admins in every guild (`quotas.admins.discord`). */
  admins: readonly string[];
  /** With `discord.shards`: what each shard process is started with. */
  sharding?: {
    /** The validated configuration, as JSON (every platform's section), for the shards to load. */
    configJson: string;
    /** Jobs and quotas are shared between shard processes only through Redis. */
    sharedStorage: boolean;
  };
}

/** The Discord front end's part of the core's ports and of the configuration. */
export function discordDeps(ports: RelayPorts, config: Config): DiscordDeps {
  const { jobs, results, templates, quota, chat, clock, log, http } = ports;
  return {
    http,
    jobs,
    results,
    templates,
    quota,
    chat,
    clock,
    log,
    config: config.discord,
    admins: config.quotas.admins.discord,
    ...(ports.links ? { links: ports.links } : {}),
    ...(config.discord.shards !== undefined
      ? { sharding: { configJson: JSON.stringify(config), sharedStorage: !!config.storage.redisUrl } }
      : {}),
  };
}
