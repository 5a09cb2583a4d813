// One Discord shard process, spawned by `ShardingManager` (see `startDiscordShards` in index.ts).
// discord.js reads SHARDS / SHARD_COUNT from the environment; jobs, quotas and backends are shared
// between shard processes through the configured Redis storage.
import { createApp } from '../../core/app.ts';
import { loadConfig } from '../../config/index.ts';
import { ChatService } from '../../core/chat/chat-service.ts';
import { startDiscord } from './index.ts';

const loaded = loadConfig();
if (!loaded.ok) process.exit(2);
// Each shard recovers only its own jobs: several engines share one Redis.
const app = await createApp(loaded.value, {
  storage: 'configured',
  instanceId: `discord-shard-${process.env['SHARDS'] ?? '0'}`,
});
const discord = await startDiscord(app, new ChatService(app), {
  register: process.env['SHARDS'] === '0',
  inShard: true,
});
await app.engine.start();
process.on('SIGTERM', () => {
  void discord
    .close()
    .then(() => app.close(10_000))
    .finally(() => process.exit(0));
});
