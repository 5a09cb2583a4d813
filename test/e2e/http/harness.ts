import type { App } from '../../../src/core/app.ts';
import type { ConfigInput } from '../../../src/config/index.ts';
import type { SafetyClassifier } from '../../../src/core/safety/classifier.ts';
import { httpDeps } from '../../../src/adapters/http/deps.ts';
import { type HttpServer, startHttp } from '../../../src/adapters/http/index.ts';
import { relayPorts } from '../../../src/core/ports/relay-ports.ts';
import { type FakeComfy, type FakeComfyOptions, startFakeComfy } from '../../fakes/comfy/index.ts';
import { SD15_MODELS, testApp, testConfig } from '../../helpers/app.ts';

export interface Harness {
  app: App;
  http: HttpServer;
  fakes: FakeComfy[];
  url: string;
  /** A key of tier `default` (unless `keyTier` says otherwise). */
  key: string;
  webhookSecret: string;
  auth: (key?: string) => Record<string, string>;
  close(): Promise<void>;
}

/** ComfyRelay's HTTP server on a free port, against fake ComfyUI servers. */
export async function startHarness(
  options: {
    backends?: number;
    fake?: FakeComfyOptions;
    config?: ConfigInput;
    keyTier?: string;
    noKey?: boolean;
    webhookDelayMs?: number;
    /** Time between a running job's progress events (the server's default is 500 ms). */
    progressIntervalMs?: number;
    /**
     * Time between health and catalogue reads of the backends (default: `testApp`'s 500 ms). Each rebuilds
     * and parses the fake's 300 KB object_info: a long-lived harness that tests no backend health asks for
     * more.
     */
    refreshIntervalMs?: number;
    /** Image safety: this classifier instead of the nsfwjs model (`scriptedClassifier`). */
    safetyClassifier?: SafetyClassifier;
  } = {},
): Promise<Harness> {
  const fakes = await Promise.all(
    Array.from({ length: options.backends ?? 1 }, () =>
      startFakeComfy({ models: SD15_MODELS, stepDelayMs: 5, ...options.fake }),
    ),
  );
  const config = testConfig({
    backends: fakes.map((f, i) => ({ name: `gpu${i + 1}`, url: f.url })),
    ...options.config,
  });
  const app = await testApp(config, {
    ...(options.refreshIntervalMs ? { refreshIntervalMs: options.refreshIntervalMs } : {}),
    ...(options.safetyClassifier ? { safetyClassifier: options.safetyClassifier } : {}),
  });
  const { ApiKeys } = await import('../../../src/core/keys/api-keys.ts');
  const created = options.noKey
    ? undefined
    : await new ApiKeys(app.storage.keys).create({ name: 'test', tier: options.keyTier ?? 'default' });
  const http = await startHttp(httpDeps(relayPorts(app), config), {
    port: 0,
    webhookDelayMs: options.webhookDelayMs ?? 50,
    progressIntervalMs: options.progressIntervalMs,
  });
  await app.engine.start();
  const key = created?.key ?? '';
  return {
    app,
    http,
    fakes,
    url: http.url,
    key,
    webhookSecret: created?.record.webhookSecret ?? '',
    auth: (k = key): Record<string, string> => (k ? { Authorization: `Bearer ${k}` } : {}),
    async close() {
      await http.close();
      await app.close(1000);
      await Promise.all(fakes.map((f) => f.close()));
      config.cleanup();
    },
  };
}

/**
 * Stalls `fake` at its first sampler step (as soon as the relay's socket hears of it, a step or two at
 * most before it could go on), so that clients see that progress for as long as the test needs: no race
 * with a short job. `reached` resolves once the relay sent that progress out; `release` lets the job go on.
 */
export function stallAtProgress(
  h: Pick<Harness, 'app' | 'fakes'>,
  fake: FakeComfy = h.fakes[0]!,
): { reached: Promise<void>; release(): void } {
  const socket = h.app.pool.get(`gpu${h.fakes.indexOf(fake) + 1}`)?.comfy;
  if (!socket) throw new Error('stallAtProgress: no ComfyUI backend of the harness talks to this fake');
  const offSocket = socket.onMessage((m) => {
    if (m.type !== 'progress') return;
    fake.stall(true);
    offSocket();
  });
  const reached = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      offSocket();
      offUpdates();
      reject(new Error('no sampler progress of a running job within 15 s'));
    }, 15_000);
    const offUpdates = h.app.engine.onUpdate(({ job, progress }) => {
      if (job.state !== 'running' || progress?.step === undefined) return;
      offUpdates();
      clearTimeout(timer);
      resolve();
    });
  });
  // A test that never awaits it (it failed earlier) leaves no unhandled rejection.
  reached.catch(() => {});
  return { reached, release: () => fake.stall(false) };
}

/** Reads an SSE response into frames. */
export async function readSse(
  res: Response,
  until?: (e: { id?: string; event: string; data: unknown }) => boolean,
) {
  const frames: { id?: string; event: string; data: unknown }[] = [];
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += value;
    for (let cut = buf.indexOf('\n\n'); cut >= 0; cut = buf.indexOf('\n\n')) {
      const raw = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      const f: { id?: string; event: string; data: unknown } = { event: 'message', data: undefined };
      for (const line of raw.split('\n')) {
        if (line.startsWith('id:')) f.id = line.slice(3).trim();
        else if (line.startsWith('event:')) f.event = line.slice(6).trim();
        else if (line.startsWith('data:')) f.data = JSON.parse(line.slice(5).trim());
      }
      if (f.data === undefined) continue;
      frames.push(f);
      if (until?.(f)) {
        await reader.cancel();
        return frames;
      }
    }
  }
  return frames;
}
