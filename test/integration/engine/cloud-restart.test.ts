import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { JobRecord } from '../../../src/core/jobs/types.ts';
import { createStorage } from '../../../src/core/storage/create-storage.ts';
import { type FakeCloud, startFakeCloud } from '../../fakes/cloud/index.ts';
import { settled, waitFor } from '../../helpers/app.ts';
import { type EngineBackend, EngineHarness, imagine } from '../../helpers/engine-harness.ts';
import { CLOUD_KEY } from '../comfy/v2-helpers.ts';

describe('a restart with a job on a comfy-api-v2 backend', () => {
  const h = new EngineHarness();
  let cloud: FakeCloud;
  before(async () => {
    cloud = await startFakeCloud({ apiKey: CLOUD_KEY, steps: 2, stepDelayMs: 5 });
  });
  afterEach(async () => {
    cloud.release();
    await h.close();
  });
  after(() => cloud.close());

  const configOf = () =>
    h.config(
      [
        {
          name: 'cloud',
          kind: 'comfy-api-v2',
          url: cloud.url,
          apiKey: CLOUD_KEY,
        } as unknown as EngineBackend,
      ],
      { quotas: { defaults: { running: 5, waiting: 5 } } },
    );

  it('GIVEN a job running on the service WHEN ComfyRelay restarts THEN it is re-attached by its stored remote id and delivered, without running twice', async () => {
    const config = configOf();
    cloud.script.hold = true;
    const first = await h.started(config);
    const submitted = await imagine(first.app, 'erin');
    assert.ok(submitted.ok);
    const id = submitted.value.id;
    await waitFor(async () => (await first.app.engine.get(id))?.remoteId !== undefined);
    const remoteId = (await first.app.engine.get(id))!.remoteId!;
    await waitFor(() => cloud.statusOf(remoteId) === 'in_progress' || cloud.stats.runs.includes(remoteId));
    await first.app.close(500);
    const submits = cloud.stats.submits;

    const second = await h.started(config);
    cloud.release();
    const job = await settled(second.app, id);
    assert.equal(job.state, 'succeeded');
    assert.equal(job.remoteId, remoteId);
    assert.equal(cloud.stats.submits, submits, 'nothing was submitted again');
    assert.equal(cloud.stats.runs.filter((r) => r === remoteId).length, 1, 'it ran once');
    assert.equal(second.fe.deliveries.filter((d) => d.job.id === id).length, 1);
  });

  it('GIVEN the process stopped before the service job id was stored THEN the restart sends it again under the same idempotency key and the service hands back the same job', async () => {
    const config = configOf();
    cloud.script.hold = true;
    const first = await h.started(config);
    const submitted = await imagine(first.app, 'frank');
    assert.ok(submitted.ok);
    const id = submitted.value.id;
    await waitFor(async () => (await first.app.engine.get(id))?.remoteId !== undefined);
    const remoteId = (await first.app.engine.get(id))!.remoteId!;
    await first.app.close(500);
    // As if the answer of POST /jobs had never been written down.
    const storage = await createStorage<JobRecord>({ sqlitePath: join(config.dataDir, 'comfyrelay.db') });
    const stored = await storage.jobs.get(id);
    assert.ok(stored);
    delete stored.remoteId;
    await storage.jobs.set(id, stored);
    await storage.close();
    const submits = cloud.stats.submits;
    const second = await h.started(config);
    await waitFor(() => cloud.stats.submits > submits);
    cloud.release();
    const job = await settled(second.app, id);
    assert.equal(job.state, 'succeeded');
    assert.equal(job.remoteId, remoteId, 'the same job, found again by its key');
    assert.equal(cloud.stats.runs.filter((r) => r === remoteId).length, 1, 'it ran once');
    assert.equal(cloud.stats.runs.length, new Set(cloud.stats.runs).size, 'no job ran twice');
  });
});
