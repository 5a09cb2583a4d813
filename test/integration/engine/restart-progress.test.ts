import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { App } from '../../../src/core/app.ts';
import { type FakeComfy, startFakeComfy } from '../../fakes/comfy/index.ts';
import {
  RecordingFrontEnd,
  SD15_MODELS,
  settled,
  testApp,
  testConfig,
  WORKFLOWS_DIR,
  waitFor,
} from '../../helpers/app.ts';
import { type ChildRelay, startChildRelay } from '../../helpers/child-relay.ts';
import { promptPosts } from '../../helpers/engine-harness.ts';

// The fake ComfyUI, like the real one, sends a prompt's progress only to the socket of the client id the
// prompt was submitted with: a restarted process sees its re-attached prompt progress only if it
// connects with the same id as before.

describe('progress after a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'comfyrelay-restart-progress-'));
  let fake: FakeComfy | undefined;
  let first: ChildRelay | undefined;
  let second: App | undefined;
  after(async () => {
    await first?.kill('SIGKILL');
    await second?.close(1000);
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GIVEN a process killed mid-job WHEN a new one starts on the same storage THEN the job progresses again before it finishes, and is delivered once', async () => {
    fake = await startFakeComfy({ models: SD15_MODELS, stepDelayMs: 10 });
    // Held at its first node from the start: it cannot finish before the kill.
    fake.stall(true);
    const input = {
      backends: [{ name: 'gpu', url: fake.url }],
      workflowsDir: WORKFLOWS_DIR,
      dataDir: join(dir, 'data'),
      logLevel: 'silent' as const,
    };
    first = startChildRelay({ CHILD_CONFIG: JSON.stringify(input), CHILD_SUBMIT: '1' });
    await waitFor(() => first!.ids('JOB').length > 0, 20_000, 'the first process accepted a job');
    const jobId = first.ids('JOB')[0]!;
    await waitFor(() => fake!.queueIds().running !== null, 10_000, 'the job running on ComfyUI');
    await first.kill('SIGKILL');

    const config = testConfig(input);
    const front = new RecordingFrontEnd();
    second = await testApp(config);
    second.engine.registerFrontEnd(front);
    await second.engine.start();
    const clientId = second.pool.backends[0]!.comfy!.clientId;
    await waitFor(() => fake!.connectedClients().includes(clientId), 10_000, 'the new process connected');
    const submitted = promptPosts(fake)[0];
    assert.equal(
      (submitted?.json as { client_id?: string } | undefined)?.client_id,
      clientId,
      'the same client id',
    );
    fake.stall(false);

    const job = await settled(second, jobId, 30_000);
    assert.equal(job.state, 'succeeded');
    const progressed = front.updates.filter(
      (u) => u.job.id === jobId && u.job.state === 'running' && u.progress?.step !== undefined,
    );
    assert.ok(progressed.length > 0, 'progress updates reached the front end before the job finished');
    const delivered = front.deliveries.filter((d) => d.job.id === jobId);
    assert.equal(delivered.length, 1, 'delivered exactly once');
    assert.equal(promptPosts(fake).length, 1, 're-attached, not submitted again');
    config.cleanup();
  });
});
