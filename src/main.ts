import { createApp } from './core/app.ts';
import './core/catalog-server.ts';
import { formatConfigError, loadConfig } from './config/index.ts';
import { t } from './core/i18n/catalogs.ts';
import { isEnabled, type RunningPlatform } from './core/platforms/platform-module.ts';
import { backendStartLines } from './core/pool/start-report.ts';
import { relayPorts } from './core/ports/relay-ports.ts';
import { PLATFORMS } from './platforms.ts';
import { httpOutputLinks } from './adapters/http/output-links-config.ts';
import { type MessageParams, toLocale } from '#shared/i18n.ts';

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
const app = await createApp(config, {
  storage: 'configured',
  platforms: PLATFORMS,
  instanceId: process.env['COMFYRELAY_INSTANCE_ID'] || undefined,
});
// Each backend's state, one line each, before anything else can wait on them silently.
for (const line of backendStartLines(app.pool, config.jobs.waitForBackendSeconds))
  say(line.code, line.params);
/** How long SIGTERM/SIGINT waits for submits and deliveries under way (COMFYRELAY_DRAIN_SECONDS, 10). */
const drainMs = 1000 * (Number(process.env['COMFYRELAY_DRAIN_SECONDS']) || 10);

/** Things to stop on shutdown, in reverse start order. */
const running: (RunningPlatform & { name: string })[] = [];

// The front ends get the core's ports, built once: one chat service for every chat front end (settings
// and links cached once, shared by linked accounts).
// Links to files too big for a chat, served by the HTTP adapter (only with `http.publicUrl`).
const ports = relayPorts(app, { links: httpOutputLinks(config, () => app.clock.now()) });
const enabled = PLATFORMS.filter((p) => isEnabled(p, config));
/** A platform whose API does not answer at start (a 5xx, a timeout) is tried again a few times. */
async function startPlatform(platform: (typeof enabled)[number]): Promise<RunningPlatform | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await platform.start?.({ ports, config });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES' || attempt >= 5) throw error;
      app.log.warn(
        { platform: platform.name, attempt, err: String(error) },
        'front end did not start; retrying',
      );
      await new Promise((r) => setTimeout(r, 1000 * 2 ** (attempt - 1)));
    }
  }
}
try {
  for (const platform of enabled) {
    const started = await startPlatform(platform);
    if (started) running.push({ name: platform.name, ...started });
  }
} catch (error) {
  // A port in use (another ComfyRelay still running) is the usual one: said plainly, not as a stack.
  const e = error as NodeJS.ErrnoException & { address?: string; port?: number };
  if (e.code !== 'EADDRINUSE' && e.code !== 'EACCES') throw error;
  const where = { address: e.address ?? config.http.host, port: e.port ?? config.http.port };
  if (e.code === 'EADDRINUSE') process.stderr.write(`${t(locale, 'server.portInUse', where)}\n`);
  else process.stderr.write(`${t(locale, 'server.listenFailed', { ...where, reason: e.message })}\n`);
  await Promise.allSettled(running.map((r) => r.close()));
  await app.close(0);
  process.exit(1);
}

await app.engine.start();

for (const r of running) for (const notice of r.notices ?? []) say(notice.code, notice.params);
const hints = new Set(PLATFORMS.flatMap((p) => (p.startHint ? [p.startHint] : [])));
for (const hint of hints) if (!enabled.some((p) => p.startHint === hint)) say(hint);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) process.exit(130);
  stopping = true;
  app.log.info({ signal }, 'shutting down');
  say('server.stopping', { seconds: drainMs / 1000 });
  // Whatever hangs (a store that does not answer), the process ends a little after the bound.
  setTimeout(() => process.exit(1), drainMs + 5000).unref();
  // The engine first, so deliveries under way finish through front ends that are still open.
  const stopped = app.stop(drainMs);
  const { handedOff, unfinished } = await stopped;
  for (const r of [...running].reverse())
    await r
      .close()
      .catch((e: unknown) =>
        app.log.warn({ frontEnd: r.name, err: String(e) }, 'front end did not close cleanly'),
      );
  say('server.stopped', { handedOff, unfinished });
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
