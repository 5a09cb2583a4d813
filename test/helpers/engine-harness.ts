import type { Config } from '../../src/config/index.ts';
import type { App, AppOptions } from '../../src/core/app.ts';
import type { JobRequest } from '../../src/core/jobs/types.ts';
import { type FakeComfy, type FakeComfyOptions, startFakeComfy } from '../fakes/comfy/index.ts';
import { RecordingFrontEnd, requester, SD15_MODELS, testApp, testConfig } from './app.ts';

/** A backend of the config: a fake ComfyUI (named `gpu1`, `gpu2`… by its place) or one spelled out. */
export type EngineBackend = FakeComfy | { name: string; url: string; maxQueued?: number };

/**
 * The engine integration tests' set-up: fake ComfyUI servers and apps (config, engine started, a
 * recording front end for `cli`), all closed and their data directories removed by `close()`, which a
 * file calls in its `afterEach`.
 */
export class EngineHarness {
  readonly #apps: App[] = [];
  readonly #fakes: FakeComfy[] = [];
  readonly #cleanups: (() => void)[] = [];

  /** A fake ComfyUI with the SD 1.5 checkpoint, 5 ms a step unless `options` say otherwise. */
  async fake(options: FakeComfyOptions = {}): Promise<FakeComfy> {
    const fake = await startFakeComfy({ models: SD15_MODELS, stepDelayMs: 5, ...options });
    this.#fakes.push(fake);
    return fake;
  }

  /** A config on these backends (`input` merged in), its data directory removed by `close()`. */
  config(backends: readonly EngineBackend[], input: Record<string, unknown> = {}): Config {
    const config = testConfig({
      backends: backends.map((b, i) =>
        'name' in b ? b : { name: `gpu${i + 1}`, url: (b as FakeComfy).url },
      ),
      ...input,
    });
    this.#cleanups.push(config.cleanup);
    return config;
  }

  /** An app on `config` with a recording front end (`fe`, for `cli` unless given) and its engine started. */
  async started(
    config: Config,
    options: AppOptions = {},
    fe = new RecordingFrontEnd(),
  ): Promise<{ app: App; fe: RecordingFrontEnd }> {
    const app = await testApp(config, options);
    this.#apps.push(app);
    app.engine.registerFrontEnd(fe);
    await app.engine.start();
    return { app, fe };
  }

  /** An app on these backends with its engine started; `input` is merged into the config. */
  app(
    backends: readonly EngineBackend[],
    input: Record<string, unknown> = {},
    options: AppOptions = {},
  ): Promise<{ app: App; fe: RecordingFrontEnd }> {
    return this.started(this.config(backends, input), options);
  }

  /** Closes every app (within `deadlineMs`), then every fake, then removes the data directories. */
  async close(deadlineMs = 1000): Promise<void> {
    await Promise.all(this.#apps.splice(0).map((a) => a.close(deadlineMs)));
    await Promise.all(this.#fakes.splice(0).map((f) => f.close()));
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
  }
}

/** Submits an `sd15-txt2img` job of `user` from the command line (4 steps unless told). */
export function imagine(
  app: App,
  user: string,
  o: { prompt?: string; steps?: number } & Partial<JobRequest> = {},
) {
  const { prompt = 'a lighthouse at dusk', steps = 4, ...request } = o;
  return app.engine.submit({
    requester: requester(user),
    request: { template: 'sd15-txt2img', prompt, values: { steps }, ...request },
    delivery: { platform: 'cli' },
  });
}

/** The prompts a fake ComfyUI was sent (each submit of a job). */
export const promptPosts = (fake: FakeComfy) =>
  fake.requests.filter((q) => q.method === 'POST' && /\/prompt$/.test(q.path));
