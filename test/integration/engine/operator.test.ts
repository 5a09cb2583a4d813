import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { App } from '../../../src/core/app.ts';
import type { JobRecord } from '../../../src/core/jobs/types.ts';
import { backendStartLines } from '../../../src/core/pool/start-report.ts';
import { type FakeComfy, startFakeComfy } from '../../fakes/comfy/index.ts';
import {
  RecordingFrontEnd,
  requester,
  SD15_MODELS,
  testApp,
  testConfig,
  waitFor,
} from '../../helpers/app.ts';

const apps: App[] = [];
const fakes: FakeComfy[] = [];
const cleanups: (() => void)[] = [];

describe('what the operator is told, and how the relay stops', () => {
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.close(500)));
    await Promise.all(fakes.splice(0).map((f) => f.close()));
    for (const c of cleanups.splice(0)) c();
  });

  it('GIVEN one reachable and one unreachable backend THEN the start says each one in a line, with the version or the fix', async () => {
    const fake = await startFakeComfy({ models: SD15_MODELS });
    fakes.push(fake);
    const config = testConfig({
      backends: [
        { name: 'gpu', url: fake.url },
        { name: 'gone', url: 'http://127.0.0.1:9' },
      ],
    });
    cleanups.push(config.cleanup);
    const app = await testApp(config);
    apps.push(app);
    const lines = backendStartLines(app.pool, 300).map((l) => app.t('en', l.code, l.params));
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /"gpu" at http:\/\/127\.0\.0\.1:\d+: reachable, version 0\.3\.64/);
    assert.match(
      lines[1]!,
      /"gone" at http:\/\/127\.0\.0\.1:9: unreachable \(ECONNREFUSED\)\. Start ComfyUI/,
    );
    const zh = backendStartLines(app.pool, 300).map((l) => app.t('zh', l.code, l.params));
    assert.match(zh[1]!, /无法连接（ECONNREFUSED）/);

    await fake.close();
    await app.pool.refresh();
    const none = backendStartLines(app.pool, 300).map((l) => app.t('en', l.code, l.params));
    assert.match(none.at(-1)!, /No ComfyUI server answers: .* 300 s/);
  });

  it('GIVEN a delivery under way and a job running WHEN the relay stops THEN the delivery finishes and the running job is left for the next start', async () => {
    const fake = await startFakeComfy({ models: SD15_MODELS, stepDelayMs: 60 });
    fakes.push(fake);
    const config = testConfig({ backends: [{ name: 'gpu', url: fake.url }] });
    cleanups.push(config.cleanup);
    const app = await testApp(config);
    const fe = new RecordingFrontEnd();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const deliver = fe.deliver.bind(fe);
    let delivering = false;
    fe.deliver = async (job, result) => {
      delivering = true;
      await gate;
      await deliver(job, result);
    };
    app.engine.registerFrontEnd(fe);
    await app.engine.start();
    const submit = (steps: number) =>
      app.engine.submit({
        requester: requester(`u${steps}`),
        request: { template: 'sd15-txt2img', prompt: 'a kite', values: { steps } },
        delivery: { platform: 'cli' },
      });
    const quick = await submit(2);
    assert.ok(quick.ok);
    await waitFor(() => delivering, 10_000, 'a delivery under way');
    const long = await submit(50);
    if (!long.ok) release();
    assert.ok(long.ok, JSON.stringify(!long.ok && long.error));
    await waitFor(async () => (await app.engine.get(long.value.id))?.state === 'running');

    const stopping = app.stop(20_000);
    await new Promise((r) => setTimeout(r, 100));
    release();
    const outcome = await stopping;
    assert.equal(outcome.unfinished, 0);
    assert.equal(fe.deliveries.length, 1, 'the delivery under way finished');
    const reopened = await testApp(config);
    apps.push(reopened);
    const stored = (await reopened.storage.jobs.get(long.value.id)) as JobRecord;
    assert.equal(stored.state, 'running', 'the running job was not waited for; it resumes at the next start');
    assert.equal(((await reopened.storage.jobs.get(quick.value.id)) as JobRecord).state, 'succeeded');
  });
});
