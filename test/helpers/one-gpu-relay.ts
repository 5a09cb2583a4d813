import type { App, AppOptions } from '../../src/core/app.ts';
import type { Platform } from '../../src/core/jobs/types.ts';
import { type FakeComfy, startFakeComfy } from '../fakes/comfy/index.ts';
import { RecordingFrontEnd, SD15_MODELS, testApp, testConfig } from './app.ts';

/** A started app on one fake SD 1.5 backend, `gpu1`, delivering to a front end that records. */
export interface OneGpuRelay {
  app: App;
  comfy: FakeComfy;
  fe: RecordingFrontEnd;
  /** Closes the app, then the fake, then removes the data directory. */
  close(): Promise<void>;
}

export async function startOneGpuRelay(o: {
  stepDelayMs: number;
  /** More of `gpu1`'s settings (e.g. `maxQueued`). */
  backend?: Record<string, unknown>;
  config?: Record<string, unknown>;
  app?: AppOptions;
  /** The front end's platform (`cli` unless told). */
  platform?: Platform;
}): Promise<OneGpuRelay> {
  const comfy = await startFakeComfy({ models: SD15_MODELS, stepDelayMs: o.stepDelayMs });
  const config = testConfig({ backends: [{ name: 'gpu1', url: comfy.url, ...o.backend }], ...o.config });
  const app = await testApp(config, o.app);
  const fe = new RecordingFrontEnd(o.platform);
  app.engine.registerFrontEnd(fe);
  await app.engine.start();
  const close = async () => {
    await app.close(1000);
    await comfy.close();
    config.cleanup();
  };
  return { app, comfy, fe, close };
}
