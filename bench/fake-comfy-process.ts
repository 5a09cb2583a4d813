/** A fake ComfyUI in its own process, so a benchmark's memory figures are ComfyRelay's alone. */
import { startFakeComfy } from '../test/fakes/comfy/index.ts';
import { SD15_MODELS } from '../test/helpers/app.ts';

const fake = await startFakeComfy({
  models: SD15_MODELS,
  jobMs: Number(process.env.FAKE_JOB_MS ?? 200),
  previews: false,
});
if (process.env.FAKE_STALLED === '1') fake.stall(true);
process.stdout.write(`${fake.url}\n`);
process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)));
