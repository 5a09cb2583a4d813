/**
 * A real ComfyRelay engine process for the recovery tests: configured storage (a data dir, or Redis), and
 * a front end that appends every delivery to a file (it does not de-duplicate, so a double delivery shows).
 * Env: CHILD_CONFIG (JSON config input), CHILD_SINK (file), CHILD_SUBMIT=<n> to submit n jobs and print
 * their ids (`JOB <id>`), CHILD_INSTANCE and CHILD_LEASE_MS for shared mode, CHILD_LOG (level).
 * CHILD_WAIT_GO=1: load everything, print `LOADED`, and start the engine only once a `GO` line arrives
 * on stdin, so that a test pays for a process's start-up while another runs and starts it when it chooses.
 */
import { once } from 'node:events';
import { appendFileSync } from 'node:fs';
import { createApp } from '../../../src/core/app.ts';
import { configSchema } from '../../../src/config/index.ts';
import { createLogger } from '../../../src/core/logger.ts';

const config = configSchema.parse(JSON.parse(process.env.CHILD_CONFIG ?? '{}'));
const sink = process.env.CHILD_SINK ?? 'deliveries.log';
const app = await createApp(config, {
  logger: createLogger({ level: process.env.CHILD_LOG ?? 'silent' }),
  clientOptions: { idleEventMs: 500, unreachableLostMs: 3000, reconnect: { initialMs: 20, maxMs: 200 } },
  refreshIntervalMs: 500,
  instanceId: process.env.CHILD_INSTANCE,
  leaseMs: process.env.CHILD_LEASE_MS ? Number(process.env.CHILD_LEASE_MS) : undefined,
});
app.engine.registerFrontEnd({
  platform: 'cli',
  update() {},
  async deliver(job, result) {
    appendFileSync(
      sink,
      `${JSON.stringify({ job: job.id, files: result.files.map((f) => f.filename), pid: process.pid })}\n`,
    );
  },
});
app.engine.onTransition((job) => {
  if (job.state === 'dispatched' || job.state === 'delivering')
    process.stdout.write(`${job.state.toUpperCase()} ${job.id}\n`);
});
if (process.env.CHILD_WAIT_GO === '1') {
  process.stdout.write('LOADED\n');
  await goLine();
}
await app.engine.start();
const count = Number(process.env.CHILD_SUBMIT ?? 0);
for (let i = 0; i < count; i++) {
  const r = await app.engine.submit({
    requester: { platform: 'cli', userId: `user${i % 3}` },
    request: { template: 'sd15-txt2img', prompt: `survive a SIGKILL ${i}`, values: { steps: 40 } },
    delivery: { platform: 'cli' },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  process.stdout.write(`JOB ${r.value.id}\n`);
}
process.stdout.write('READY\n');
process.on('SIGTERM', () => void app.close(2000).then(() => process.exit(0)));

/** Resolves on the first `GO` line on stdin. */
async function goLine(): Promise<void> {
  let input = '';
  process.stdin.setEncoding('utf8');
  while (!input.split('\n').includes('GO')) {
    const [chunk] = (await once(process.stdin, 'data')) as [string];
    input += chunk;
  }
  process.stdin.pause();
}
