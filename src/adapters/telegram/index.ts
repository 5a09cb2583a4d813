import { createServer, type Server } from 'node:http';
import { type Context, Telegraf, TelegramError } from 'telegraf';
import { COMMANDS } from '../../../commands/index.ts';
import { t, toLocale } from '#shared/i18n.ts';
import { describe } from './api-errors.ts';
import type { TelegramDeps } from './deps.ts';
import { TelegramFrontEnd } from './front-end.ts';
import { TelegramHandlers } from './handlers.ts';
import { publishCommands } from './register.ts';
import { TELEGRAM_LIMITS, type TelegramMediaLimits } from './results.ts';
import './messages.ts';

export interface TelegramOptions {
  /** Upload limits (tests shrink them to exercise the document fallback). */
  limits?: TelegramMediaLimits;
}

export interface TelegramHandle {
  readonly frontEnd: TelegramFrontEnd;
  close(): Promise<void>;
}

/**
 * Starts the Telegram front end: registers it with the engine (call before `engine.start()`), publishes
 * the commands, and receives updates by long polling, or by webhook when `telegram.webhook` is set.
 */
export async function startTelegram(
  deps: TelegramDeps,
  options: TelegramOptions = {},
): Promise<TelegramHandle> {
  const { config: cfg, log } = deps;
  if (!cfg.token) throw new Error('telegram.token is not set');
  const bot = new Telegraf(cfg.token, {
    telegram: { ...(cfg.apiRoot ? { apiRoot: cfg.apiRoot } : {}), webhookReply: false },
  });
  const fe = new TelegramFrontEnd(bot.telegram, deps, options.limits ?? TELEGRAM_LIMITS);
  deps.jobs.registerFrontEnd(fe);

  // The one error boundary: handlers, background work and polling all end here (never with the token).
  const onError = (error: unknown, ctx?: Context) => {
    log.error({ err: describe(error), update: ctx?.update.update_id }, 'telegram update failed');
    const chatId = ctx?.chat?.id;
    if (chatId === undefined) return;
    const text = t(toLocale(ctx?.from?.language_code), 'telegram.failed');
    void fe.call(chatId, () => bot.telegram.sendMessage(chatId, text)).catch(() => undefined);
  };
  const handlers = new TelegramHandlers(deps, fe, bot.telegram, onError);
  bot.on('message', (ctx) => handlers.onMessage(ctx));
  bot.on('callback_query', (ctx) => handlers.onCallback(ctx));
  bot.catch((error, ctx) => onError(error, ctx));

  bot.botInfo = await bot.telegram.getMe();
  await publishCommands(bot.telegram, COMMANDS).catch((e: unknown) =>
    log.warn({ err: describe(e) }, 'telegram setMyCommands failed'),
  );

  let server: Server | undefined;
  let polling: Promise<void> | undefined;
  if (cfg.webhook) {
    const url = new URL(cfg.webhook.url);
    // telegraf answers 403 when X-Telegram-Bot-Api-Secret-Token does not match.
    server = createServer(bot.webhookCallback(url.pathname, { secretToken: cfg.webhook.secretToken }));
    await new Promise<void>((resolve) => server!.listen(cfg.webhook!.port, resolve));
    await bot.telegram.setWebhook(url.href, { secret_token: cfg.webhook.secretToken });
    log.info({ path: url.pathname, port: cfg.webhook.port }, 'telegram webhook listening');
  } else {
    polling = bot.launch().catch((e: unknown) => {
      if (e instanceof TelegramError && e.code === 409) {
        log.error(
          { err: describe(e) },
          'telegram polling stopped: 409 Conflict — another process polls with this bot token, or a webhook is set; run one instance only',
        );
      } else log.error({ err: describe(e) }, 'telegram polling stopped');
    });
    log.info({ bot: bot.botInfo.username }, 'telegram long polling');
  }

  return {
    frontEnd: fe,
    async close() {
      try {
        if (polling) bot.stop('shutdown');
      } catch {}
      await polling;
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      server?.closeAllConnections();
      fe.close();
    },
  };
}
