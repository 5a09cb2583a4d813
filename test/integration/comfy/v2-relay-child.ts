/**
 * A second ComfyRelay as its own process, for the tests that use it as the `comfy-api-v2` backend of a
 * first: its HTTP server (Comfy API v2 included) over a fake ComfyUI. Prints `READY <url> <key>` once it
 * serves; env STEP_MS sets the fake's time per step. Lines on stdin, each answered `DONE <line>`:
 * `STEP <ms>` changes the time per step; `HOLD` stalls the fake at the next job's first sampler step until
 * `GO`, or until ComfyUI is asked to interrupt it (a held job that is canceled then ends at once).
 * Ends on SIGTERM, or when its stdin closes.
 */
import { createInterface } from 'node:readline';
import { httpDeps } from '../../../src/adapters/http/deps.ts';
import { startHttp } from '../../../src/adapters/http/index.ts';
import { ApiKeys } from '../../../src/core/keys/api-keys.ts';
import { relayPorts } from '../../../src/core/ports/relay-ports.ts';
import { startFakeComfy } from '../../fakes/comfy/index.ts';
import { SD15_MODELS, testApp, testConfig } from '../../helpers/app.ts';

const fake = await startFakeComfy({
  models: SD15_MODELS,
  stepDelayMs: Number(process.env.STEP_MS ?? 20),
  previews: false,
});
const config = testConfig({
  backends: [{ name: 'gpu', url: fake.url }],
  quotas: { defaults: { running: 5, waiting: 20, perWindow: 1000 } },
});
// Backend reads every 10 s, not 500 ms: each rebuilds and parses the fake's 300 KB object_info.
const app = await testApp(config, { refreshIntervalMs: 10_000 });
const { key } = await new ApiKeys(app.storage.keys).create({ name: 'first-relay', tier: 'default' });
// Progress every 50 ms (500 by default): the first relay sees it however short the job.
const http = await startHttp(httpDeps(relayPorts(app), app.config), { port: 0, progressIntervalMs: 50 });
await app.engine.start();

const interrupts = () => fake.interrupts.global + fake.interrupts.byPromptId.length;
let holding = false;
let releaseOnInterrupt: NodeJS.Timeout | undefined;
const go = () => {
  holding = false;
  clearInterval(releaseOnInterrupt);
  fake.stall(false);
};
const hold = () => {
  go();
  holding = true;
  const before = interrupts();
  releaseOnInterrupt = setInterval(() => interrupts() > before && go(), 5);
};
app.pool.get('gpu')!.comfy!.onMessage((m) => {
  if (!holding || m.type !== 'progress') return;
  holding = false;
  fake.stall(true);
});
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const step = /^STEP (\d+)$/.exec(line);
  if (step) fake.setStepDelay(Number(step[1]));
  else if (line === 'HOLD') hold();
  else if (line === 'GO') go();
  process.stdout.write(`DONE ${line}\n`);
});
process.stdout.write(`READY ${http.url} ${key}\n`);
const stop = async () => {
  go();
  await http.close();
  await app.close(1000);
  await fake.close();
  config.cleanup();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
// The test process went away without a SIGTERM: this one does not outlive it.
lines.on('close', () => void stop());
