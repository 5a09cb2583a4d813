import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { App, AppOptions } from '../../../src/core/app.ts';
import type { JobRecord } from '../../../src/core/jobs/types.ts';
import type { FakeComfyOptions } from '../../fakes/comfy/index.ts';
import { RecordingFrontEnd, requester, settled, waitFor } from '../../helpers/app.ts';
import { EngineHarness, imagine, promptPosts } from '../../helpers/engine-harness.ts';
import { type RedisServer, startRedis } from '../../helpers/redis-server.ts';

const harness = new EngineHarness();
/** Processes on one Redis: a dead one's jobs are taken over after a second, a lost request after 300 ms. */
const SHARED: AppOptions = { leaseMs: 1000, interruptedAfterMs: 300 };

describe('one queue across processes (Redis)', () => {
  let redis: RedisServer;
  before(async () => {
    redis = await startRedis();
  });
  after(() => redis.stop());
  afterEach(async () => {
    await harness.close();
    await fetchFlush(redis);
  });

  const fake = (options: FakeComfyOptions = {}) => harness.fake({ stepDelayMs: 10, ...options });

  /** One ComfyRelay process (in this test process) on the shared Redis. */
  async function relay(
    name: string,
    backends: { name: string; url: string; maxQueued?: number }[],
    input: Record<string, unknown> = {},
  ): Promise<{ app: App; fe: RecordingFrontEnd }> {
    return harness.app(
      backends,
      { storage: { redisUrl: redis.url }, ...input },
      { instanceId: name, ...SHARED },
    );
  }

  it('GIVEN a process whose backend is busy THEN another process with an idle backend takes its next job', async () => {
    const busy = await fake();
    busy.stall(true);
    const idle = await fake();
    const a = await relay('a', [{ name: 'gpuA', url: busy.url, maxQueued: 1 }]);
    for (const user of ['ann', 'amy']) assert.ok((await imagine(a.app, user)).ok);
    await waitFor(() => busy.queueIds().pending.length === 1, 10_000, "A's backend full");
    const b = await relay('b', [{ name: 'gpuB', url: idle.url }]);
    const second = await imagine(a.app, 'bob');
    assert.ok(second.ok);
    const job = await settled(b.app, second.value.id);
    assert.equal(job.state, 'succeeded');
    assert.equal(job.backend, 'gpuB');
    assert.equal(b.fe.deliveries.length, 1, 'delivered by the process that ran it');
  });

  it('GIVEN one person limited to one running job THEN across both processes never two of hers run at once', async () => {
    const [one, two] = [await fake({ stepDelayMs: 5 }), await fake({ stepDelayMs: 5 })];
    const input = { quotas: { defaults: { running: 1, waiting: 10 } } };
    const a = await relay('a', [{ name: 'gpu1', url: one.url }], input);
    const b = await relay('b', [{ name: 'gpu2', url: two.url }], input);
    const states = new Map<string, string>();
    let most = 0;
    for (const { app } of [a, b])
      app.engine.onTransition((job: JobRecord) => {
        states.set(job.id, job.state);
        const running = [...states.values()].filter((s) => s === 'dispatched' || s === 'running').length;
        most = Math.max(most, running);
      });
    const submitted = await Promise.all(
      [a, b, a, b, a, b].map(({ app }) => imagine(app, 'cleo', { steps: 8 })),
    );
    const ids = submitted.map((r) => (r.ok ? r.value.id : assert.fail(JSON.stringify(r.error))));
    for (const id of ids) assert.equal((await settled(a.app, id, 30_000)).state, 'succeeded');
    assert.equal(most, 1, 'her running slot is shared');
  });

  it("GIVEN a job lost on its backend behind its owner's waiting jobs THEN it runs again with the slot it kept, and all end", async () => {
    const gpu = await fake({ stepDelayMs: 40 });
    const a = await relay('a', [{ name: 'gpu', url: gpu.url }], {
      quotas: { defaults: { running: 1, waiting: 10 } },
    });
    const first = await imagine(a.app, 'gus', { steps: 30 });
    assert.ok(first.ok);
    await waitFor(() => gpu.queueIds().running !== null, 10_000, 'the first job running');
    const later = [await imagine(a.app, 'gus'), await imagine(a.app, 'gus')];
    // Lost: queued again behind the two waiting ones, still holding her one running slot.
    gpu.setStepDelay(2);
    await gpu.restart();
    for (const r of [first, ...later]) {
      assert.ok(r.ok);
      assert.equal((await settled(a.app, r.value.id, 30_000)).state, 'succeeded');
    }
  });

  it("GIVEN another process's job THEN a cancel there ends it: waiting, never run; running, stopped on its backend", async () => {
    const gpu = await fake();
    gpu.stall(true);
    const backends = [{ name: 'gpu', url: gpu.url, maxQueued: 1 }];
    const input = { quotas: { defaults: { running: 2, waiting: 5 } } };
    const a = await relay('a', backends, input);
    const b = await relay('b', backends, input);
    const running = await imagine(a.app, 'dee');
    assert.ok(running.ok);
    await waitFor(() => gpu.queueIds().running !== null, 10_000, 'the first job running');
    assert.ok((await imagine(a.app, 'dee')).ok);
    await waitFor(() => gpu.queueIds().pending.length === 1, 10_000, 'the backend full');
    const waiting = await imagine(a.app, 'dee');
    assert.ok(waiting.ok);
    const runningJob = (await a.app.engine.get(running.value.id))!;
    const holder = runningJob.instance === 'a' ? a : b;
    const other = holder === a ? b : a;

    assert.ok((await other.app.engine.cancel(waiting.value.id, requester('dee'))).ok);
    assert.equal((await settled(a.app, waiting.value.id)).state, 'canceled');
    assert.ok((await other.app.engine.cancel(running.value.id, requester('dee'))).ok);
    await waitFor(() => gpu.interrupts.byPromptId.includes(runningJob.promptId!), 5000, 'interrupt sent');
    gpu.stall(false);
    const ended = await settled(a.app, running.value.id);
    assert.equal(ended.state, 'canceled', JSON.stringify(ended.error));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(promptPosts(gpu).length, 2, 'the canceled waiting job was never submitted');
  });

  it('GIVEN a front end recording where it shows a job in one process THEN the process that delivers it uses that', async () => {
    const gpu = await fake();
    const a = await relay('a', [{ name: 'nowhere', url: 'http://127.0.0.1:9' }]);
    const b = await relay('b', [{ name: 'gpu', url: gpu.url }]);
    const r = await imagine(a.app, 'eli', { steps: 20 });
    assert.ok(r.ok);
    await a.app.engine.updateDelivery(r.value.id, { statusId: 42 });
    assert.equal((await settled(b.app, r.value.id)).state, 'succeeded');
    assert.equal(b.fe.deliveries[0]?.job.delivery?.statusId, 42);
  });
});

describe('a request answered before its job exists, whose process dies (Redis)', () => {
  let redis: RedisServer;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await harness.close(500);
    await redis.stop();
  });

  it('GIVEN a request announced then never made a job THEN another process tells its person it was interrupted, and no job takes its key later', async () => {
    const told: { target: Record<string, unknown>; code: string }[] = [];
    const start = async (name: string, withTelling: boolean) => {
      const config = harness.config([{ name: 'gpu', url: 'http://127.0.0.1:9' }], {
        storage: { redisUrl: redis.url },
      });
      const fe = new RecordingFrontEnd();
      if (withTelling)
        Object.assign(fe, {
          interrupted: async (target: Record<string, unknown>, m: { code: string }) => {
            told.push({ target, code: m.code });
          },
        });
      return (await harness.started(config, { instanceId: name, ...SHARED }, fe)).app;
    };
    const dying = await start('dying', false);
    await dying.engine.expect('cli:req-1', { platform: 'cli', chat: 'c1' });
    await dying.engine.expect('cli:req-2', { platform: 'cli', chat: 'c2' });
    // Died between claiming the key for a job id and storing the job: the key names no job.
    await dying.engine.expect('cli:req-3', { platform: 'cli', chat: 'c3' });
    assert.equal(await dying.storage.claim('cli:req-3', 'neverstored', 60_000), undefined);
    const made = await dying.engine.submit({
      requester: requester('fay'),
      request: { template: 'sd15-txt2img', prompt: 'made it', values: {} },
      delivery: { platform: 'cli' },
      idempotencyKey: 'cli:req-2',
    });
    assert.ok(made.ok, 'the second request became a job before the process died');
    await start('survivor', true);
    await waitFor(() => told.length > 1, 10_000, 'both people told');
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(
      told.sort((a, b) => String(a.target['chat']).localeCompare(String(b.target['chat']))),
      [
        { target: { platform: 'cli', chat: 'c1' }, code: 'jobs.interrupted' },
        { target: { platform: 'cli', chat: 'c3' }, code: 'jobs.interrupted' },
      ],
    );
    const late = await dying.engine.submit({
      requester: requester('fay'),
      request: { template: 'sd15-txt2img', prompt: 'too late', values: {} },
      delivery: { platform: 'cli' },
      idempotencyKey: 'cli:req-1',
    });
    assert.ok(!late.ok && late.error.code === 'jobs.interrupted', 'the interrupted key makes no job');
  });
});

/** Each test starts from an empty Redis. */
async function fetchFlush(redis: RedisServer): Promise<void> {
  const { Redis } = await import('ioredis');
  const client = new Redis(redis.url);
  await client.flushall();
  await client.quit();
}
