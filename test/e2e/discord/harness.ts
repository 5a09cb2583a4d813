import assert from 'node:assert/strict';
import { after, afterEach } from 'node:test';
import sharp from 'sharp';
import { discordDeps } from '../../../src/adapters/discord/deps.ts';
import { startDiscord } from '../../../src/adapters/discord/index.ts';
import type { App, AppOptions } from '../../../src/core/app.ts';
import type { ConfigInput } from '../../../src/config/index.ts';
import type { ChatService } from '../../../src/core/chat/chat-service.ts';
import type { JobResult } from '../../../src/core/jobs/ports.ts';
import type { OutputLinks } from '../../../src/core/jobs/output-links.ts';
import type { JobRecord } from '../../../src/core/jobs/types.ts';
import { relayPorts } from '../../../src/core/ports/relay-ports.ts';
import { type FakeComfy, type FakeComfyOptions, startFakeComfy } from '../../fakes/comfy/index.ts';
import type { Clock } from '#shared/clock.ts';
import {
  createClock,
  type FakeDiscord,
  type StartFakeDiscordOptions,
  startFakeDiscord,
} from '../../fakes/discord/fake-discord.ts';
import { testApp, testConfig } from '../../helpers/app.ts';
import { fastClock } from '../../helpers/clocks.ts';

export const MODELS = {
  checkpoints: ['v1-5-pruned-emaonly.safetensors'],
  upscale_models: ['4x-UltraSharp.pth'],
};

export interface Harness {
  fake: FakeDiscord;
  /** The one clock of the app (engine pacing, edit lanes, token expiry) and the fake Discord (`fake.clock` reads it). */
  clock: Clock;
  comfy: FakeComfy[];
  app: App;
  chat: ChatService;
  guildId: string;
  channelId: string;
  nsfwChannelId: string;
  /** Guild member without Manage Server. */
  alice: string;
  bob: string;
  /** Member with Manage Server. */
  admin: string;
  /** A user whose Discord client is in Simplified Chinese. */
  li: string;
  /** Closes ComfyRelay and its Discord client, then starts both again on the same data directory. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  config?: ConfigInput;
  comfy?: FakeComfyOptions;
  backends?: number;
  /** Options of each backend in turn (over `comfy`); their count wins over `backends`. */
  comfyEach?: FakeComfyOptions[];
  fake?: StartFakeDiscordOptions;
  /**
   * Stands in for the core's safety stage (or changes a result) between "outputs fetched" and the
   * Discord front end's `deliver`.
   */
  screen?: (job: JobRecord, result: JobResult) => JobResult | Promise<JobResult>;
  /** Options of the app (a scripted safety classifier…). */
  app?: AppOptions;
  /** Links to files over the attachment limit (as `http.publicUrl` makes them). */
  links?: OutputLinks;
  /**
   * How many times faster than real time the shared clock runs (default 1): Discord's 1.5 s status
   * pacing takes 1500 / speed real ms, and the fake Discord measures edits and tokens in the same time.
   * The 3-second deferral rule and `mentionAfterSeconds` stay in real seconds (answering an interaction
   * is work, not a wait), unless the test sets them.
   */
  speed?: number;
}

/** ComfyRelay with its Discord front end (real discord.js) against the fake Discord and fake ComfyUI. */
/** `/imagine` typed by `userId` in the harness's channel. */
export const imagineIn = (h: Harness, userId: string, prompt: string, workflow = 'sd15-txt2img') =>
  h.fake.slashCommand({
    guildId: h.guildId,
    channelId: h.channelId,
    userId,
    name: 'imagine',
    options: { prompt, workflow },
  });

export async function startHarness(o: HarnessOptions = {}): Promise<Harness> {
  const speed = o.speed ?? 1;
  const clock = o.app?.clock ?? fastClock(speed);
  const fake = await startFakeDiscord({
    clock: createClock({ source: clock }),
    ackDeadlineMs: 3000 * speed,
    ...o.fake,
  });
  const comfy = await Promise.all(
    Array.from({ length: o.comfyEach?.length ?? o.backends ?? 1 }, (_, i) =>
      startFakeComfy({ models: MODELS, stepDelayMs: 5, ...o.comfy, ...o.comfyEach?.[i] }),
    ),
  );
  const users = Object.fromEntries(
    (['alice', 'bob', 'admin', 'li'] as const).map((name) => [
      name,
      fake.addUser({ username: name, ...(name === 'li' ? { locale: 'zh-CN' } : {}) }).id,
    ]),
  ) as Record<'alice' | 'bob' | 'admin' | 'li', string>;
  const guild = fake.addGuild({ name: 'G', channels: [{ name: 'general' }, { name: 'lewd', nsfw: true }] });
  for (const u of ['alice', 'bob', 'li'] as const) fake.addMember(guild.id, users[u]);
  fake.addMember(guild.id, users.admin, { permissions: String(2248473465835073n | 32n) });
  const { discord: extraDiscord, ...rest } = (o.config ?? {}) as Record<string, unknown>;
  const config = testConfig({
    backends: comfy.map((f, i) => ({ name: `gpu${i + 1}`, url: f.url })),
    discord: {
      token: fake.token,
      apiRoot: fake.restUrl,
      mentionAfterSeconds: 60 * speed,
      ...(extraDiscord as object),
    },
    ...rest,
  } as ConfigInput);
  const boot = async () => {
    const app = await testApp(config, { ...o.app, clock });
    // As the server starts it: the adapter gets the ports and its section, never the app.
    const ports = relayPorts(app, o.links ? { links: o.links } : {});
    const deps = discordDeps(ports, config);
    const { screen } = o;
    if (screen) {
      const jobs = deps.jobs;
      deps.jobs = {
        ...jobs,
        registerFrontEnd: (fe) => {
          const deliver = fe.deliver.bind(fe);
          fe.deliver = async (job, result) => deliver(job, await screen(job, result));
          jobs.registerFrontEnd(fe);
        },
      };
    }
    const discord = await startDiscord(deps);
    await app.engine.start();
    return { app, chat: ports.chat, discord };
  };
  let running = await boot();
  const h: Harness = {
    fake,
    clock,
    comfy,
    app: running.app,
    chat: running.chat,
    guildId: guild.id,
    channelId: guild.channels[0]!.id,
    nsfwChannelId: guild.channels[1]!.id,
    ...users,
    async restart() {
      await running.discord.close();
      await running.app.close(1000 * speed);
      running = await boot();
      h.app = running.app;
      h.chat = running.chat;
    },
    async close() {
      await running.discord.close();
      await running.app.close(1000 * speed);
      await Promise.all(comfy.map((f) => f.close()));
      await fake.close();
      config.cleanup();
    },
  };
  return h;
}

let watchingRejections = false;
/** Fails the current test on any unhandled rejection. */
export function noUnhandledRejections(): void {
  // Called at the top of a file, so its hooks are the whole process's: when test files share a
  // process (`scripts/run-tests.ts`), they are all imported first, and one listener and check cover
  // every test of every file there (one per file would each report the same rejection).
  if (watchingRejections) return;
  watchingRejections = true;
  const seen: unknown[] = [];
  const on = (r: unknown) => seen.push(r);
  process.on('unhandledRejection', on);
  afterEach(() => assert.deepEqual(seen.splice(0), [], 'no unhandled rejections'));
  after(() => {
    process.off('unhandledRejection', on);
    watchingRejections = false;
  });
}

export const pngOf = (w: number, h: number) =>
  sharp({ create: { width: w, height: h, channels: 3, background: { r: 200, g: 80, b: 40 } } })
    .png()
    .toBuffer();
