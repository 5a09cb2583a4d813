/**
 * One ComfyRelay server process of the fault suite: what `src/main.ts` runs (configured storage on the
 * shared Redis, the HTTP API, Discord, Telegram by webhook), with this process's own Discord shard, HTTP
 * port and webhook port. Prints `READY` once it takes jobs; SIGTERM stops it as `npm start` would.
 * Env: RELAY_CONFIG (config input, JSON), RELAY_INSTANCE, RELAY_SHARD, RELAY_SHARDS, RELAY_LEASE_MS,
 * RELAY_INTERRUPTED_AFTER_MS (the engine's default unless set).
 */
import { startDiscord } from '../../src/adapters/discord/index.ts';
import { discordDeps } from '../../src/adapters/discord/deps.ts';
import { httpDeps } from '../../src/adapters/http/deps.ts';
import { startHttp } from '../../src/adapters/http/index.ts';
import { startTelegram } from '../../src/adapters/telegram/index.ts';
import { telegramDeps } from '../../src/adapters/telegram/deps.ts';
import { buildConfigSchema } from '../../src/config/index.ts';
import { createApp } from '../../src/core/app.ts';
import { createLogger } from '../../src/core/logger.ts';
import { relayPorts } from '../../src/core/ports/relay-ports.ts';
import { PLATFORMS } from '../../src/platforms.ts';

const config = buildConfigSchema(PLATFORMS).parse(JSON.parse(process.env.RELAY_CONFIG ?? '{}'));
const shard = Number(process.env.RELAY_SHARD ?? 0);
const app = await createApp(config, {
  storage: 'configured',
  platforms: PLATFORMS,
  logger: createLogger({ level: process.env.RELAY_LOG ?? 'silent' }),
  instanceId: process.env.RELAY_INSTANCE,
  leaseMs: Number(process.env.RELAY_LEASE_MS ?? 3000),
  interruptedAfterMs: process.env.RELAY_INTERRUPTED_AFTER_MS
    ? Number(process.env.RELAY_INTERRUPTED_AFTER_MS)
    : undefined,
  refreshIntervalMs: 500,
  clientOptions: { idleEventMs: 1000, unreachableLostMs: 2000, reconnect: { initialMs: 50, maxMs: 500 } },
});
const ports = relayPorts(app);

/** As `src/main.ts` does: a platform whose API does not answer at start is tried again a few times. */
async function retried<T>(name: string, start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= 5) throw error;
      app.log.warn({ platform: name, attempt, err: String(error) }, 'front end did not start; retrying');
      await new Promise((r) => setTimeout(r, 500 * 2 ** (attempt - 1)));
    }
  }
}
const http = await startHttp(httpDeps(ports, config), { port: config.http.port });
const discord = await retried('discord', () =>
  startDiscord(discordDeps(ports, config), {
    shards: [shard],
    shardCount: Number(process.env.RELAY_SHARDS ?? 1),
    register: false,
    inShard: true,
  }),
);
const telegram = await retried('telegram', () => startTelegram(telegramDeps(ports, config)));
await app.engine.start();
process.stdout.write(`READY ${http.url}\n`);

process.on('SIGTERM', () => {
  void (async () => {
    await app.stop(5000);
    await Promise.allSettled([discord.close(), telegram.close(), http.close()]);
    process.exit(0);
  })();
});
