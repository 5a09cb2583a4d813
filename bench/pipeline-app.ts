/** The ComfyRelay the pipeline bench drives: memory storage, no quota in the way, one recording-free front end. */
import { configSchema } from '../src/config/index.ts';
import { createApp } from '../src/core/app.ts';
import { createLogger } from '../src/core/logger.ts';
import { startPoolClassifier } from '../src/core/safety/pool-classifier.ts';
import type { FakeComfy } from '../test/fakes/comfy/index.ts';
import { WORKFLOWS_DIR } from '../test/helpers/app.ts';

/** A chat platform: its jobs are screened when safety is on (the operator's command line never is). */
export const CHAT = 'bench-chat';

export async function benchApp(fakes: FakeComfy[], o: { platform: string; safety: boolean }) {
  const config = configSchema.parse({
    backends: fakes.map((f, i) => ({ name: `gpu${i + 1}`, url: f.url })),
    workflowsDir: WORKFLOWS_DIR,
    logLevel: 'silent',
    progress: { intervalMs: 1000 },
    safety: { enabled: o.safety },
    // The chat platform's people get what the command line's unlimited tier gives: no quota in the way.
    quotas: { defaults: { running: 10_000, waiting: 100_000, perWindow: 1_000_000 } },
  });
  // Loaded before the clock starts: the model's start-up is not part of the throughput.
  const classifier = o.safety ? await startPoolClassifier() : undefined;
  if (classifier && !classifier.ok) throw new Error(`classifier: ${classifier.error}`);
  const a = await createApp(config, {
    storage: 'memory',
    unlimitedQuota: true,
    logger: createLogger({ level: 'silent' }),
    ...(classifier?.ok ? { safetyClassifier: classifier.value } : {}),
  });
  a.engine.registerFrontEnd({ platform: o.platform, update() {}, async deliver() {} });
  await a.engine.start();
  return a;
}
