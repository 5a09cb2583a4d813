import { startDiscord } from './adapters/discord/index.ts';
import { startHttp } from './adapters/http/index.ts';
import { startTelegram } from './adapters/telegram/index.ts';
import { createApp } from './core/app.ts';
import { ChatService } from './core/chat/chat-service.ts';
import { formatConfigError, loadConfig } from './config/index.ts';
import { t } from './core/i18n/catalogs.ts';
import { toLocale } from './shared/i18n.ts';

// `npm start`: the composition root of the server process. The HTTP API and web page always start;
// chat front ends start when their tokens are configured.

const locale = toLocale(process.env['LC_ALL'] || process.env['LANG']);
const say = (code: string, params?: Record<string, string>) =>
  process.stdout.write(`${t(locale, code, params)}\n`);

const loaded = loadConfig();
if (!loaded.ok) {
  process.stderr.write(`${formatConfigError(loaded.error, locale)}\n`);
  process.exit(2);
}
const config = loaded.value;
const app = await createApp(config, { storage: 'configured' });

/** Things to stop on shutdown, in reverse start order. Chat front ends append theirs here. */
const frontEnds: { name: string; close(): Promise<void> }[] = [];

const http = await startHttp(app);
frontEnds.push({ name: 'http', close: http.close });

// One chat service for every chat front end: settings and links cached once, shared by linked accounts.
const chat = new ChatService(app);
if (config.discord.token) frontEnds.push({ name: 'discord', ...(await startDiscord(app, chat)) });
if (config.telegram.token) frontEnds.push({ name: 'telegram', ...(await startTelegram(app, chat)) });

await app.engine.start();

say('http.start.listening', { url: http.url });
say(http.openLoopback ? 'http.start.openLoopback' : 'http.start.keysRequired');
if (!config.discord.token && !config.telegram.token) say('http.start.chatHint');

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) process.exit(130);
  stopping = true;
  app.log.info({ signal }, 'shutting down');
  say('http.start.stopping');
  for (const fe of [...frontEnds].reverse())
    await fe
      .close()
      .catch((e: unknown) =>
        app.log.warn({ frontEnd: fe.name, err: String(e) }, 'front end did not close cleanly'),
      );
  await app.close(10_000);
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
