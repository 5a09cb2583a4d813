// One Discord shard process, spawned by `ShardingManager` (see `startDiscordShards` in index.ts).
// discord.js reads SHARDS / SHARD_COUNT from the environment, and the parent's validated configuration
// comes as JSON in COMFYRELAY_SHARD_CONFIG; jobs, quotas and backends are shared
// between shard processes through the configured Redis storage.
import type { Config } from '../../config/index.ts';
import { openRelay } from '../../core/ports/open-relay.ts';
import { discordDeps } from './deps.ts';
import { SHARD_CONFIG_ENV, startDiscord } from './index.ts';
import { discordPlatform } from './module.ts';

const config = JSON.parse(process.env[SHARD_CONFIG_ENV] ?? 'null') as Config | null;
if (!config) process.exit(2);
// Each shard recovers only its own jobs: several engines share one Redis.
const relay = await openRelay(config, {
  storage: 'configured',
  instanceId: `discord-shard-${process.env['SHARDS'] ?? '0'}`,
  platforms: [discordPlatform],
});
const discord = await startDiscord(discordDeps(relay.ports, config), {
  register: process.env['SHARDS'] === '0',
  inShard: true,
});
await relay.start();
process.on('SIGTERM', () => {
  void discord
    .close()
    .then(() => relay.close(10_000))
    .finally(() => process.exit(0));
});
