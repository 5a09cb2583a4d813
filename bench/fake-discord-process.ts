/**
 * The fake Discord in its own process, driven over IPC by `discord-burst.ts`, so the deferral figures
 * measure ComfyRelay's event loop and not the fake's. Prints one JSON line with the URLs and ids, then
 * answers `{ id, op, args }` messages with `{ id, result }`.
 */
import { type InteractionHandle, startFakeDiscord } from '../test/fakes/discord/fake-discord.ts';

const USERS = Number(process.env.FAKE_USERS ?? 50);
const fake = await startFakeDiscord();
const guild = fake.addGuild({
  name: 'Bench',
  channels: [{ name: 'general' }],
  roles: [{ name: 'unlimited' }],
});
const roleId = guild.roles.find((r) => r.name === 'unlimited')!.id;
const users = Array.from({ length: USERS }, (_, i) => fake.addUser({ username: `u${i}` }).id);
for (const u of users) fake.addMember(guild.id, u, { roles: [roleId] });
let handles: InteractionHandle[] = [];

const ops: Record<string, (args: number) => unknown> = {
  /**
   * Dispatches `count` /imagine at once; resolves with each deferral latency (fake clock, ms) and the
   * CPU this fake spent until the last one (when it is near the window's wall time, the fake is the
   * bottleneck, not ComfyRelay).
   */
  async burst(count) {
    const startCpu = process.cpuUsage();
    handles = await Promise.all(
      Array.from({ length: count }, (_, i) =>
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
    const cpu = process.cpuUsage(startCpu);
    return {
      latencies: acks.flatMap((a) => (a.status === 'fulfilled' ? [a.value.latencyMs] : [])),
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
  },
  finished: () => handles.filter((h) => (h.original()?.attachments.length ?? 0) > 0).length,
  stats: () => ({
    maxRate: Math.max(0, ...fake.editStats().map((s) => s.maxEditsPerSecond)),
    violations: fake.violations().map((v) => v.rule),
  }),
  close: async () => {
    await fake.close();
    setImmediate(() => process.exit(0));
  },
};

process.on('message', (m: { id: number; op: string; args: number }) => {
  void Promise.resolve(ops[m.op]?.(m.args)).then((result) => process.send?.({ id: m.id, result }));
});
process.stdout.write(
  `${JSON.stringify({ restUrl: fake.restUrl, token: fake.token, guildId: guild.id, roleId })}\n`,
);
