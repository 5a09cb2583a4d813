import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type FakeComfy, startFakeComfy } from '../../fakes/comfy/index.ts';
import { SD15_MODELS, WORKFLOWS_DIR, waitFor } from '../../helpers/app.ts';
import { deliveries, killChildRelays, startChildRelay } from '../../helpers/child-relay.ts';
import { promptPosts } from '../../helpers/engine-harness.ts';

describe('recovery after SIGKILL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'comfyrelay-recovery-'));
  let fake: FakeComfy | undefined;
  after(async () => {
    killChildRelays();
    await fake?.close();
    if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
    else console.log('DIR', dir);
  });

  it('GIVEN a real ComfyRelay process killed mid-job THEN after a restart the job is delivered exactly once, without running twice', async () => {
    fake = await startFakeComfy({ models: SD15_MODELS, stepDelayMs: 5 });
    // Held at its first node until the second process is up: it is still running when that re-attaches.
    fake.stall(true);
    const sink = join(dir, 'deliveries.log');
    const env = {
      CHILD_CONFIG: JSON.stringify({
        backends: [{ name: 'gpu', url: fake.url }],
        workflowsDir: WORKFLOWS_DIR,
        dataDir: join(dir, 'data'),
        logLevel: 'silent',
      }),
      CHILD_SINK: sink,
    };
    const first = startChildRelay({ ...env, CHILD_SUBMIT: '1' });
    await waitFor(() => first.ids('JOB').length > 0, 20_000, 'the first process accepted a job');
    const jobId = first.ids('JOB')[0]!;
    await waitFor(() => fake!.queueIds().running !== null, 10_000, 'the job running on ComfyUI');
    await first.kill('SIGKILL');
    assert.deepEqual(deliveries(sink), [], 'nothing was delivered before the kill');

    const second = startChildRelay(env);
    await waitFor(() => second.output().includes('READY'), 20_000, 'the second process started');
    fake.stall(false);
    await waitFor(
      () => deliveries(sink).some((d) => d.job === jobId),
      30_000,
      'delivery after restart',
    ).catch((e) => {
      throw new Error(`${e.message}; second process said: ${second.output()}`);
    });
    await new Promise((r) => setTimeout(r, 500));
    const lines = deliveries(sink);
    assert.equal(lines.filter((l) => l.job === jobId).length, 1, 'delivered exactly once');
    assert.equal(lines[0]!.pid, second.child.pid);
    assert.equal(lines[0]!.files.length, 1);
    assert.equal(
      promptPosts(fake).length,
      1,
      'the restarted process re-attached to the running prompt instead of submitting it again',
    );
  });
});
