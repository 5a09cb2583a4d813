import { createApp } from './core/app.ts';
import { formatConfigError, loadConfig } from './config/index.ts';
import { t } from './core/i18n/catalogs.ts';
import { isEnabled, type RunningPlatform } from './core/platforms/platform-module.ts';
import { relayPorts } from './core/ports/relay-ports.ts';
import { PLATFORMS } from './platforms.ts';
import { type MessageParams, toLocale } from './shared/i18n.ts';

// `npm start`: the composition root of the server process. Each platform starts when its configuration
// enables it (the HTTP API and web page always; chat front ends when their tokens are set).

const locale = toLocale(process.env['LC_ALL'] || process.env['LANG']);
const say = (code: string, params?: MessageParams) => process.stdout.write(`${t(locale, code, params)}\n`);

const loaded = loadConfig({ platforms: PLATFORMS });
if (!loaded.ok) {
  process.stderr.write(`${formatConfigError(loaded.error, locale)}\n`);
  process.exit(2);
}
const config = loaded.value;
const app = await createApp(config, { storage: 'configured', platforms: PLATFORMS });

/** Things to stop on shutdown, in reverse start order. */
const running: (RunningPlatform & { name: string })[] = [];

// The front ends get the core's ports, built once: one chat service for every chat front end (settings
// and links cached once, shared by linked accounts).
const ports = relayPorts(app);
const enabled = PLATFORMS.filter((p) => isEnabled(p, config));
for (const platform of enabled)
  if (platform.start)
    running.push({ name: platform.name, ...(await platform.start({ ports, config, app })) });

await app.engine.start();

for (const r of running) for (const notice of r.notices ?? []) say(notice.code, notice.params);
const hints = new Set(PLATFORMS.flatMap((p) => (p.startHint ? [p.startHint] : [])));
for (const hint of hints) if (!enabled.some((p) => p.startHint === hint)) say(hint);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) process.exit(130);
  stopping = true;
  app.log.info({ signal }, 'shutting down');
  say('http.start.stopping');
  for (const r of [...running].reverse())
    await r
      .close()
      .catch((e: unknown) =>
        app.log.warn({ frontEnd: r.name, err: String(e) }, 'front end did not close cleanly'),
      );
  await app.close(10_000);
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
