import type { Config } from '../../config/index.ts';
import type { ChatService } from '../../core/chat/chat-service.ts';
import type { Logger } from '../../core/logger.ts';
import type { OutputLinks } from '../../core/jobs/output-links.ts';
import type { JobsPort } from '../../core/ports/jobs-port.ts';
import type { RelayPorts } from '../../core/ports/relay-ports.ts';
import type { ResultReader } from '../../core/ports/result-reader.ts';
import type { TemplateCatalog } from '../../core/ports/template-catalog.ts';
import type { Clock } from '#shared/clock.ts';

// What the Telegram front end is started with. Light on purpose (no telegraf): the descriptor builds it.

export type TelegramConfig = Config['telegram'];

export interface TelegramDeps {
  jobs: Pick<JobsPort, 'get' | 'updateDelivery' | 'registerFrontEnd'>;
  results: ResultReader;
  templates: Pick<TemplateCatalog, 'list'>;
  chat: ChatService;
  clock: Clock;
  log: Logger;
  config: TelegramConfig;
  /** Links to files over the Bot API's upload limit (absent without `http.publicUrl`). */
  links?: Pick<OutputLinks, 'outputLink'>;
  /** Telegram user ids that are admins in every chat (`quotas.admins.telegram`). */
  admins: readonly string[];
  /** Some quota tier matches group admins: only then does `/imagine` wait for a group's admin list. */
  adminTiers: boolean;
}

/** The Telegram front end's part of the core's ports and of the configuration. */
export function telegramDeps(ports: RelayPorts, config: Config): TelegramDeps {
  const { jobs, results, templates, chat, clock, log } = ports;
  return {
    jobs,
    results,
    templates,
    chat,
    clock,
    log,
    config: config.telegram,
    admins: config.quotas.admins.telegram,
    ...(ports.links ? { links: ports.links } : {}),
    adminTiers: config.quotas.tiers.some((tier) => tier.match.telegramAdmins),
  };
}
