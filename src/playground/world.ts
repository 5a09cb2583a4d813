import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeComfy, startFakeComfy } from '../../test/fakes/comfy/index.ts';
import { type FakeDiscord, startFakeDiscord } from '../../test/fakes/discord/fake-discord.ts';
import { type FakeTelegram, startFakeTelegram } from '../../test/fakes/telegram/fake-telegram.ts';
import { discordDeps } from '../adapters/discord/deps.ts';
import { startDiscord } from '../adapters/discord/index.ts';
import { telegramDeps } from '../adapters/telegram/deps.ts';
import { startTelegram } from '../adapters/telegram/index.ts';
import { buildConfigSchema, type Config, formatConfigError, loadConfig } from '../config/index.ts';
import { createApp } from '../core/app.ts';
import { createLogger } from '../core/logger.ts';
import { type RelayPorts, relayPorts } from '../core/ports/relay-ports.ts';
import { PLATFORMS } from '../platforms.ts';

export interface WorldOptions {
  /** The operator's configuration file (default: comfyrelay.config.yaml if present). */
  configFile?: string;
  /** Start the fake ComfyUI too, for a demo without a GPU. */
  fakeComfy?: boolean;
  /** The fake ComfyUI's time per sampling step. */
  stepMs?: number;
  /** Where the relay's own log goes (`silent` unless asked). */
  logLevel?: string;
}

/** One member, known on both platforms under the same name. */
export interface Person {
  name: string;
  discordId: string;
  telegramId: number;
  zh: boolean;
}

/**
 * Everything the playground runs: the fake Discord and fake Telegram (the project's test fakes), the
 * relay with both chat front ends pointed at them, and ComfyUI (the configured one, or the fake).
 */
export interface World {
  discord: { fake: FakeDiscord; guildId: string; channelId: string; channelName: string };
  telegram: { fake: FakeTelegram; groupId: number; groupTitle: string };
  ports: RelayPorts;
  config: Config;
  /** A member by name, created on first use (`zh`: their app speaks Chinese; `admin`: Manage Server). */
  person(name: string, traits?: { zh?: boolean; admin?: boolean }): Person;
  people(): Person[];
  close(): Promise<void>;
}

const MODELS = { checkpoints: ['v1-5-pruned-emaonly.safetensors'], upscale_models: ['4x-UltraSharp.pth'] };
const MANAGE_SERVER = String(2248473465835073n | 32n);

function configFor(
  o: WorldOptions,
  fakes: { discord: FakeDiscord; telegram: FakeTelegram; comfy?: FakeComfy },
) {
  const loaded = loadConfig({ platforms: PLATFORMS, ...(o.configFile ? { file: o.configFile } : {}) });
  if (!loaded.ok) throw new Error(formatConfigError(loaded.error, 'en'));
  const c = loaded.value;
  const dataDir = mkdtempSync(join(tmpdir(), 'comfyrelay-playground-'));
  // The operator's settings (backends, workflows, quotas) with both chats pointed at the fakes.
  const config = buildConfigSchema(PLATFORMS).parse({
    ...c,
    dataDir,
    storage: {},
    logLevel: o.logLevel ?? 'silent',
    ...(fakes.comfy ? { backends: [{ name: 'fake-comfyui', url: fakes.comfy.url }] } : {}),
    discord: { ...c.discord, token: fakes.discord.token, apiRoot: fakes.discord.restUrl, shards: undefined },
    telegram: {
      ...c.telegram,
      token: fakes.telegram.token,
      apiRoot: fakes.telegram.apiRoot,
      webhook: undefined,
    },
  });
  return { config, cleanup: () => rmSync(dataDir, { recursive: true, force: true }) };
}

export async function startWorld(o: WorldOptions = {}): Promise<World> {
  const comfy = o.fakeComfy
    ? await startFakeComfy({ models: MODELS, stepDelayMs: o.stepMs ?? 150, previews: true })
    : undefined;
  const discordFake = await startFakeDiscord({ botUsername: 'ComfyRelay' });
  const telegramFake = await startFakeTelegram({
    botInfo: { first_name: 'ComfyRelay', username: 'comfyrelay_bot' },
  });
  const { config, cleanup } = configFor(o, { discord: discordFake, telegram: telegramFake, comfy });
  const guild = discordFake.addGuild({ name: 'Playground', channels: [{ name: 'general' }] });
  const group = telegramFake.addChat({ type: 'supergroup', title: 'Playground' });
  telegramFake.setAdmin(Number(group.id), telegramFake.botInfo.id);

  const app = await createApp(config, {
    storage: 'memory',
    platforms: PLATFORMS,
    logger: createLogger({ level: (o.logLevel ?? 'silent') as 'silent' }),
  });
  const ports = relayPorts(app);
  const discord = await startDiscord(discordDeps(ports, config));
  const telegram = await startTelegram(telegramDeps(ports, config));
  await app.engine.start();

  const people = new Map<string, Person>();
  const world: World = {
    discord: {
      fake: discordFake,
      guildId: guild.id,
      channelId: guild.channels[0]!.id,
      channelName: 'general',
    },
    telegram: { fake: telegramFake, groupId: Number(group.id), groupTitle: 'Playground' },
    ports,
    config,
    person(name, traits = {}) {
      const known = people.get(name);
      if (known) return known;
      const zh = !!traits.zh;
      const discordId = discordFake.addUser({ username: name, ...(zh ? { locale: 'zh-CN' } : {}) }).id;
      discordFake.addMember(guild.id, discordId, traits.admin ? { permissions: MANAGE_SERVER } : {});
      const telegramId = telegramFake.addUser({
        first_name: name[0]!.toUpperCase() + name.slice(1),
        username: name,
        language_code: zh ? 'zh-hans' : 'en',
      }).id;
      if (traits.admin) telegramFake.setAdmin(Number(group.id), telegramId);
      const person = { name, discordId, telegramId, zh };
      people.set(name, person);
      return person;
    },
    people: () => [...people.values()],
    async close() {
      await telegram.close();
      await discord.close();
      await app.close(2000);
      await Promise.all([discordFake.close(), telegramFake.close(), comfy?.close()]);
      cleanup();
    },
  };
  return world;
}
