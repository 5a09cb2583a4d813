/**
 * A second ComfyRelay as its own process, for the tests that use it as the `comfy-api-v2` backend of a
 * first: its HTTP server (Comfy API v2 included) over a fake ComfyUI. Prints `READY <url> <key>` once it
 * serves; env STEP_MS sets the fake's time per step, a line `STEP <ms>` on stdin changes it. Ends on SIGTERM.
 */
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
const app = await testApp(config);
const { key } = await new ApiKeys(app.storage.keys).create({ name: 'first-relay', tier: 'default' });
const http = await startHttp(httpDeps(relayPorts(app), app.config), { port: 0 });
await app.engine.start();
process.stdin.setEncoding('utf8');
process.stdin.on('data', (text: string) => {
  for (const [, ms] of text.matchAll(/STEP (\d+)/g)) fake.setStepDelay(Number(ms));
  process.stdout.write('STEP SET\n');
});
process.stdout.write(`READY ${http.url} ${key}\n`);
process.on('SIGTERM', () => {
  void (async () => {
    await http.close();
    await app.close(1000);
    await fake.close();
    config.cleanup();
    process.exit(0);
  })();
});
