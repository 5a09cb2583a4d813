// 500 `/imagine` interactions delivered at once by the fake Discord, against four fast fake ComfyUI
// servers, everyone in an unlimited tier. Prints time to the deferral callback (p50/p99), whether all
// jobs finished, and the highest edit rate on any one message.
// Run: ./node_modules/.bin/node bench/discord-burst.ts [count]
import { startDiscord } from '../src/adapters/discord/index.ts';
import { ChatService } from '../src/core/chat/chat-service.ts';
import { startFakeComfy } from '../test/fakes/comfy/index.ts';
import { startFakeDiscord } from '../test/fakes/discord/fake-discord.ts';
import { testApp, testConfig } from '../test/helpers/app.ts';
import { fmt, machine, percentile } from './stats.ts';

const COUNT = Number(process.argv[2] ?? 500);
const USERS = 50;
const fake = await startFakeDiscord();
const comfy = await Promise.all(
  Array.from({ length: 4 }, () =>
    startFakeComfy({ models: { checkpoints: ['v1-5-pruned-emaonly.safetensors'] }, stepDelayMs: 1 }),
  ),
);
const guild = fake.addGuild({
  name: 'Bench',
  channels: [{ name: 'general' }],
  roles: [{ name: 'unlimited' }],
});
const role = guild.roles.find((r) => r.name === 'unlimited')!.id;
const users = Array.from({ length: USERS }, (_, i) => fake.addUser({ username: `u${i}` }).id);
for (const u of users) fake.addMember(guild.id, u, { roles: [role] });
const config = testConfig({
  backends: comfy.map((f, i) => ({ name: `gpu${i + 1}`, url: f.url, maxQueued: 4 })),
  discord: { token: fake.token, apiRoot: fake.restUrl },
  quotas: {
    tiers: [
      {
        name: 'unlimited',
        match: { discordRoles: [role] },
        running: 10_000,
        waiting: 10_000,
        perWindow: 1_000_000,
      },
    ],
  },
});
const app = await testApp(config);
const discord = await startDiscord(app, new ChatService(app));
await app.engine.start();

const started = Date.now();
const handles = await Promise.all(
  Array.from({ length: COUNT }, (_, i) =>
    fake.slashCommand({
      guildId: guild.id,
      channelId: guild.channels[0]!.id,
      userId: users[i % USERS]!,
      name: 'imagine',
      options: { prompt: `burst ${i} --steps 4`, workflow: 'sd15-txt2img' },
    }),
  ),
);
const acks = await Promise.allSettled(handles.map((h) => h.acknowledged));
const latencies = acks.flatMap((a) => (a.status === 'fulfilled' ? [a.value.latencyMs] : []));
const done = () => handles.filter((h) => (h.original()?.attachments.length ?? 0) > 0).length;
const deadline = Date.now() + 180_000;
while (done() < COUNT && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
const wall = Date.now() - started;
const maxRate = Math.max(0, ...fake.editStats().map((s) => s.maxEditsPerSecond));
const violations = fake.violations();

console.log(`discord burst: ${COUNT} /imagine at once, 4 fake ComfyUI backends — ${machine()}`);
console.log(
  `acknowledged: ${latencies.length}/${COUNT}  deferral p50 ${fmt(percentile(latencies, 50))}  p99 ${fmt(percentile(latencies, 99))}  max ${fmt(Math.max(...latencies))}`,
);
console.log(`finished with attachments: ${done()}/${COUNT} in ${(wall / 1000).toFixed(1)} s`);
console.log(
  `highest edit rate on one message: ${maxRate}/s  violations: ${violations.length}${violations.length ? ` (${[...new Set(violations.map((v) => v.rule))].join(', ')})` : ''}`,
);

await discord.close();
await app.close(2000);
await Promise.all(comfy.map((f) => f.close()));
await fake.close();
config.cleanup();
process.exit(done() === COUNT && percentile(latencies, 99) < 500 ? 0 : 1);
