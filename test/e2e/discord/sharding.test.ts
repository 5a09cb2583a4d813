import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Shard, ShardingManager } from 'discord.js';
import { stringify } from 'yaml';
import { discordDeps } from '../../../src/adapters/discord/deps.ts';
import { startDiscord } from '../../../src/adapters/discord/index.ts';
import type { App } from '../../../src/core/app.ts';
import { relayPorts } from '../../../src/core/ports/relay-ports.ts';
import { type FakeComfy, startFakeComfy } from '../../fakes/comfy/index.ts';
import { type FakeDiscord, startFakeDiscord } from '../../fakes/discord/fake-discord.ts';
import { type RedisServer, startRedis } from '../../helpers/redis-server.ts';
import { testApp, testConfig, WORKFLOWS_DIR, waitFor } from '../../helpers/app.ts';
import { MODELS, noUnhandledRejections } from './harness.ts';

noUnhandledRejections();

const DISCORD_EPOCH = 1_420_070_400_000n;
/** A guild id whose creation millisecond puts it on `shard` of 2: `(id >> 22) % 2`. */
const guildIdOn = (shard: number, ms: bigint) => String(((ms - (ms % 2n) + BigInt(shard)) << 22n) | 1n);
const buttonJob = (components: unknown[]) =>
  ((components ?? []) as { components: { custom_id: string }[] }[])[0]?.components[0]?.custom_id.split(
    ':',
  )[2];

/** Resolves once the shard's client is ready; rejects if its process dies first. */
const shardReady = (shard: Shard) =>
  shard.ready
    ? Promise.resolve()
    : new Promise<void>((resolve, reject) => {
        shard.once('ready', () => resolve());
        shard.once('death', () => reject(new Error(`shard ${shard.id} exited while starting`)));
      });

describe('discord: two shard processes on one Redis', () => {
  let redis: RedisServer;
  let fake: FakeDiscord;
  let comfy: FakeComfy;
  let app: App;
  let shards: { close(): Promise<void> };
  let dir: string;
  let config: ReturnType<typeof testConfig>;
  // discord.js's ShardingManager marks this process as a shard's parent in its own environment
  // (SHARDING_MANAGER, SHARDING_MANAGER_MODE, DISCORD_TOKEN) so that its children inherit it. Left set,
  // the next discord.js Client of this process (another test file sharing it) takes itself for a
  // shard child: it listens for IPC messages (an open handle) and calls process.send when ready.
  const ENV = ['COMFYRELAY_CONFIG', 'SHARDING_MANAGER', 'SHARDING_MANAGER_MODE', 'DISCORD_TOKEN'];
  const previous = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
  const spawn = ShardingManager.prototype.spawn;
  const guilds: { id: string; channel: string }[] = [];
  const users: string[] = [];

  before(async () => {
    // discord.js starts shards one after the other, 5.5 s apart (Discord's one IDENTIFY per 5 s); the fake
    // Discord lets 16 identify at once (`max_concurrency`), so here both start together, and spawn()
    // still resolves only once every shard is ready.
    ShardingManager.prototype.spawn = async function (options) {
      const spawned = await spawn.call(this, { ...options, delay: 0, timeout: -1 });
      await Promise.all([...spawned.values()].map(shardReady));
      return spawned;
    };
    redis = await startRedis();
    fake = await startFakeDiscord({ shards: 2 });
    comfy = await startFakeComfy({ models: MODELS, stepDelayMs: 5 });
    const ms = BigInt(Date.now()) - DISCORD_EPOCH;
    for (const shard of [0, 1]) {
      const g = fake.addGuild({
        id: guildIdOn(shard, ms),
        name: `G${shard}`,
        channels: [{ name: 'general' }],
      });
      guilds.push({ id: g.id, channel: g.channels[0]!.id });
    }
    for (const name of ['alice', 'bob']) {
      const id = fake.addUser({ username: name }).id;
      users.push(id);
      for (const g of guilds) fake.addMember(g.id, id);
    }
    dir = mkdtempSync(join(tmpdir(), 'comfyrelay-shards-'));
    const input = {
      backends: [{ name: 'gpu1', url: comfy.url }],
      workflowsDir: WORKFLOWS_DIR,
      dataDir: dir,
      logLevel: 'silent',
      // As in every test app, no image safety model: the shard processes cannot take a scripted classifier.
      safety: { enabled: false },
      storage: { redisUrl: redis.url },
      quotas: { defaults: { running: 2, waiting: 2, perWindow: 1 } },
      discord: { token: fake.token, apiRoot: fake.restUrl, shards: 2 },
    };
    writeFileSync(join(dir, 'config.yaml'), stringify(input));
    // The shard processes load their configuration from this file (ShardingManager passes the env on).
    process.env.COMFYRELAY_CONFIG = join(dir, 'config.yaml');
    config = testConfig(input as never);
    // This process only starts the shards and reads jobs: no need to fetch ComfyUI's object_info every 500 ms.
    app = await testApp(config, { instanceId: 'test', refreshIntervalMs: 60_000 });
    shards = await startDiscord(discordDeps(relayPorts(app), config));
  });

  after(async () => {
    await shards?.close();
    await app?.close(1000);
    await comfy?.close();
    await fake?.close();
    await redis?.stop();
    config?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
    ShardingManager.prototype.spawn = spawn;
    for (const k of ENV) {
      if (previous[k] === undefined) delete process.env[k];
      else process.env[k] = previous[k];
    }
  });

  const imagine = (g: { id: string; channel: string }, userId: string, prompt: string) =>
    fake.slashCommand({
      guildId: g.id,
      channelId: g.channel,
      userId,
      name: 'imagine',
      options: { prompt, workflow: 'sd15-txt2img' },
    });

  it("GIVEN the shards started THEN this process's environment holds neither the bot token nor the shard-manager marks", () => {
    for (const k of ['SHARDING_MANAGER', 'SHARDING_MANAGER_MODE', 'DISCORD_TOKEN'])
      assert.equal(process.env[k], previous[k], k);
    assert.ok(!Object.values(process.env).includes(fake.token));
  });

  it('GIVEN a guild on each shard THEN each shard answers its own /imagine and both results land', async () => {
    assert.deepEqual(
      fake
        .sessions()
        .map((s) => s.shard.join('/'))
        .sort(),
      ['0/2', '1/2'],
    );
    const handles = await Promise.all(guilds.map((g, i) => imagine(g, users[i]!, `shard ${i} --steps 4`)));
    for (const h of handles) await h.acknowledged;
    await waitFor(() => handles.every((h) => (h.original()?.embeds.length ?? 0) > 0), 20_000, 'both results');
    for (const [i, h] of handles.entries()) {
      const job = await app.engine.get(buttonJob(h.original()!.components)!);
      // One queue across processes: whichever shard has room runs it, and its guild's shard answered.
      assert.match(job?.instance ?? '', /^discord-shard-[01]$/, `job ${i} ran in a shard process`);
    }
    assert.deepEqual(fake.violations(), []);
  });

  it('GIVEN a window used up on one shard THEN the other shard refuses the same person', async () => {
    const refused = await imagine(guilds[1]!, users[0]!, 'one more --steps 4');
    await waitFor(() => refused.followups().length > 0, 10_000, 'window refusal');
    assert.match(refused.followups()[0]!.content, /used all 1 jobs/);
  });
});
