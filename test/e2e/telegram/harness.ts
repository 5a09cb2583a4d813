import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after } from 'node:test';
import { type TelegramDeps, telegramDeps } from '../../../src/adapters/telegram/deps.ts';
import {
  startTelegram,
  type TelegramHandle,
  type TelegramOptions,
} from '../../../src/adapters/telegram/index.ts';
import type { App, AppOptions } from '../../../src/core/app.ts';
import type { ConfigInput } from '../../../src/config/index.ts';
import type { Logger } from '../../../src/core/logger.ts';
import type { Clock } from '#shared/clock.ts';
import type { ChatService } from '../../../src/core/chat/chat-service.ts';
import type { OutputLinks } from '../../../src/core/jobs/output-links.ts';
import { relayPorts } from '../../../src/core/ports/relay-ports.ts';
import { type FakeComfy, startFakeComfy } from '../../fakes/comfy/index.ts';
import type { FakeComfyOptions } from '../../fakes/comfy/types.ts';
import {
  type FakeTelegram,
  type StoredMessage,
  startFakeTelegram,
} from '../../fakes/telegram/fake-telegram.ts';
import { testApp, testConfig, WORKFLOWS_DIR } from '../../helpers/app.ts';
import { fastClock } from '../../helpers/clocks.ts';

export const MODELS = {
  checkpoints: ['v1-5-pruned-emaonly.safetensors'],
  upscale_models: ['4x-UltraSharp.pth'],
};

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));
after(() => assert.deepEqual(unhandled, [], 'unhandled rejections'));

export interface Harness {
  /** The one clock of the app (engine, pacing, lanes) and the fake Bot API (call times, retry_after). */
  clock: Clock;
  tg: FakeTelegram;
  comfy: FakeComfy;
  app: App;
  chat: ChatService;
  bot: TelegramHandle;
  config: ReturnType<typeof testConfig>;
  /**
   * Closes the bot and the app (not the fakes), then starts both again on the same data dir. The app's
   * close waits up to `deadlineMs` of the shared clock (default 2000) for its in-flight writes.
   */
  restart(deadlineMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  comfy?: FakeComfyOptions;
  config?: Partial<ConfigInput>;
  telegram?: TelegramOptions;
  tg?: Parameters<typeof startFakeTelegram>[0];
  backends?: number;
  /** Receive updates by webhook on a free port (secret token `s3cret`) instead of long polling. */
  webhook?: boolean;
  logger?: Logger;
  /** Options of the app (a scripted safety classifier…). */
  app?: AppOptions;
  /** Links to files over the upload limit (as `http.publicUrl` makes them). */
  links?: OutputLinks;
  /** How many times faster than real time the shared clock runs (default 1: real time). */
  speed?: number;
  /** A seam between the bot and the core (e.g. to stop a write as a SIGKILL would). */
  wrapDeps?: (deps: TelegramDeps) => TelegramDeps;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** The SD 1.5 and upscale templates only, so the default txt2img template is one the fake ComfyUI can run. */
function sd15Workflows(): string {
  const dir = mkdtempSync(join(tmpdir(), 'comfyrelay-tg-workflows-'));
  for (const f of readdirSync(WORKFLOWS_DIR))
    if (/^(sd15|upscale)/.test(f)) copyFileSync(join(WORKFLOWS_DIR, f), join(dir, f));
  return dir;
}

/** The whole app with the real telegraf against the fake Bot API and fake ComfyUI backends. */
export async function harness(o: HarnessOptions = {}): Promise<Harness> {
  const clock = o.app?.clock ?? fastClock(o.speed ?? 1);
  const tg = await startFakeTelegram({ clock: { source: clock }, ...o.tg });
  const comfies = await Promise.all(
    Array.from({ length: o.backends ?? 1 }, () =>
      // No preview frames unless a test asks: a preview turns the status into a photo.
      startFakeComfy({ models: MODELS, stepDelayMs: 5, previews: false, ...o.comfy }),
    ),
  );
  const comfy = comfies[0]!;
  const hookPort = o.webhook ? await freePort() : 0;
  const { telegram: telegramConfig, ...configRest } = o.config ?? {};
  const config = testConfig({
    backends: comfies.map((c, i) => ({ name: `gpu${i + 1}`, url: c.url })),
    telegram: {
      ...telegramConfig,
      token: tg.token,
      apiRoot: tg.apiRoot,
      ...(o.webhook
        ? {
            webhook: {
              url: `https://127.0.0.1:${hookPort}/telegram/hook`,
              secretToken: 's3cret',
              port: hookPort,
            },
          }
        : {}),
    },
    workflowsDir: sd15Workflows(),
    ...configRest,
  } as ConfigInput);
  const h = { clock, tg, comfy, config } as Harness;
  const boot = async () => {
    h.app = await testApp(config, { ...o.app, clock, ...(o.logger ? { logger: o.logger } : {}) });
    // As the server starts it: the adapter gets the ports and its section, never the app.
    const ports = relayPorts(h.app, o.links ? { links: o.links } : {});
    h.chat = ports.chat;
    const deps = telegramDeps(ports, config);
    h.bot = await startTelegram(o.wrapDeps ? o.wrapDeps(deps) : deps, o.telegram);
    await h.app.engine.start();
    if (o.webhook) return;
    const polls = tg.callsTo('getUpdates').length;
    await tg.waitFor((f) => f.callsTo('getUpdates').length > polls || undefined, {
      message: 'telegraf polling',
    });
  };
  await boot();
  h.restart = async (deadlineMs = 2000) => {
    await h.bot.close();
    await h.app.close(deadlineMs);
    await boot();
  };
  h.close = async () => {
    await h.bot.close();
    await h.app.close(2000);
    await tg.close();
    await Promise.all(comfies.map((c) => c.close()));
    config.cleanup();
    assert.deepEqual(tg.internalErrors(), [], 'fake telegram internal errors');
  };
  return h;
}

export const botMessages = (tg: FakeTelegram, chatId: number): StoredMessage[] =>
  tg.messages(chatId).filter((m) => m.sender === 'bot');

export const buttonsOf = (m: StoredMessage | undefined): { text: string; callback_data: string }[] =>
  ((m?.reply_markup?.inline_keyboard ?? []) as { text: string; callback_data: string }[][]).flat();

/** Rules the bot broke, by name (ignoring ones a test provoked on purpose). */
export const broken = (tg: FakeTelegram, except: string[] = []): string[] =>
  tg
    .violations()
    .map((v) => v.rule as string)
    .filter((r) => !except.includes(r));

/** Resolves once telegraf handled the update: it polls again (offset past it) only after its handlers ran. */
export const handled = (tg: FakeTelegram, update: { update_id: number }): Promise<unknown> =>
  tg.waitFor((f) => f.callsTo('getUpdates').some((c) => Number(c.params.offset) > update.update_id), {
    message: `update ${update.update_id} handled`,
  });
