import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import {
  ComfyUnreachableError,
  ComfyValidationError,
  OutOfCreditsError,
  QueueFullError,
  SubmitOutcomeUnknownError,
} from '../../../src/comfy/index.ts';
import { type FakeCloud, startFakeCloud } from '../../fakes/cloud/index.ts';
import { fastClock } from '../../helpers/clocks.ts';
import { CLOUD_KEY, closeClients, cloudClient, cloudWorkflow, until } from './v2-helpers.ts';

describe('Comfy Cloud realities, against the stand-in', () => {
  let cloud: FakeCloud;
  before(async () => {
    cloud = await startFakeCloud({ apiKey: CLOUD_KEY, steps: 3, stepDelayMs: 10, concurrency: 1 });
  });
  afterEach(async () => {
    cloud.script.submitAnswers.length = 0;
    cloud.release();
    await closeClients();
  });
  after(() => cloud.close());

  const runsSince = (before: number) => cloud.stats.runs.length - before;

  it('GIVEN a 402 THEN submit fails as out of credits, the backend says so, and the next submit is refused without asking', async () => {
    const client = cloudClient(cloud, { outOfCreditsRetryMs: 60_000 });
    const states: string[] = [];
    client.onCondition((c) => states.push(c.state));
    cloud.script.submitAnswers.push({ status: 402, message: 'no credits left' });
    const runs = cloud.stats.runs.length;
    await assert.rejects(client.submit(cloudWorkflow(1)), (e: Error) => e instanceof OutOfCreditsError);
    assert.equal(client.condition.state, 'out_of_credits');
    assert.ok((client.condition.retryAt ?? 0) > Date.now());
    assert.equal(client.acceptsWork, false);
    assert.deepEqual(states, ['out_of_credits']);
    const submits = cloud.stats.submits;
    await assert.rejects(client.submit(cloudWorkflow(2)), (e: Error) => e instanceof OutOfCreditsError);
    assert.equal(cloud.stats.submits, submits, 'the paused backend was not asked again');
    assert.equal(runsSince(runs), 0);
    assert.equal(client.slots.used, 0, 'no slot stays taken');
  });

  it('GIVEN a 402 WHEN its pause is over and credits are back THEN the next submit runs and the backend is ready again', async () => {
    const client = cloudClient(cloud, { outOfCreditsRetryMs: 0 });
    cloud.script.submitAnswers.push({ status: 402 });
    await assert.rejects(client.submit(cloudWorkflow(3)), OutOfCreditsError);
    const outcome = await (await client.submit(cloudWorkflow(4))).done;
    assert.equal(outcome.type, 'succeeded');
    assert.equal(client.condition.state, 'ready');
  });

  it('GIVEN a 429 queue_full with Retry-After THEN the client waits as told and the same submission then succeeds, once', async () => {
    // Its clock runs 20 times faster: the Retry-After second passes in 50 ms, waited out all the same.
    const client = cloudClient(cloud, { clock: fastClock(20) });
    cloud.script.submitAnswers.push({ status: 429, code: 'queue_full', retryAfter: 1 });
    const submits = cloud.stats.submits;
    const runs = cloud.stats.runs.length;
    const outcome = await (await client.submit(cloudWorkflow(5), { idempotencyKey: 'job-5.1' })).done;
    assert.equal(outcome.type, 'succeeded');
    assert.equal(cloud.stats.submits - submits, 2);
    assert.deepEqual(cloud.stats.keys.slice(-2), ['job-5.1', 'job-5.1']);
    assert.equal(runsSince(runs), 1);
    assert.equal(client.condition.state, 'ready');
  });

  it('GIVEN 429s past the backoff budget THEN submit fails as queue full and the backend is paused until Retry-After', async () => {
    const client = cloudClient(cloud, { queueFullBudgetMs: 0 });
    cloud.script.submitAnswers.push({ status: 429, code: 'queue_full', retryAfter: 30 });
    await assert.rejects(client.submit(cloudWorkflow(6)), (e: Error) => e instanceof QueueFullError);
    assert.equal(client.condition.state, 'queue_full');
    assert.ok((client.condition.retryAt ?? 0) > Date.now() + 20_000);
    assert.equal(client.acceptsWork, false);
  });

  it('GIVEN 5 jobs and 2 slots THEN never more than 2 are on the service at once, and all 5 run once', async () => {
    const client = cloudClient(cloud, { slots: 2 });
    cloud.stats.maxActive = 0;
    cloud.script.hold = true;
    const runs = cloud.stats.runs.length;
    const submitted = [1, 2, 3, 4, 5].map((i) => client.submit(cloudWorkflow(10 + i)));
    await until(() => client.inFlight.length === 2 && client.slots.waiting === 3);
    assert.equal(cloud.stats.maxActive, 2, 'two on the service, three waiting here');
    cloud.release();
    const outcomes = await Promise.all((await Promise.all(submitted)).map((h) => h.done));
    assert.deepEqual(
      outcomes.map((o) => o.type),
      ['succeeded', 'succeeded', 'succeeded', 'succeeded', 'succeeded'],
    );
    assert.equal(cloud.stats.maxActive, 2);
    assert.equal(runsSince(runs), 5);
  });

  it('GIVEN a 502 after the service accepted the job THEN the retry with the same key finds that job, and it ran exactly once', async () => {
    const client = cloudClient(cloud);
    cloud.script.submitAnswers.push({ status: 502, afterAccept: true });
    const runs = cloud.stats.runs.length;
    const submits = cloud.stats.submits;
    const handle = await client.submit(cloudWorkflow(20), { idempotencyKey: 'job-20.1' });
    assert.equal((await handle.done).type, 'succeeded');
    assert.equal(cloud.stats.submits - submits, 2);
    assert.deepEqual(cloud.stats.keys.slice(-2), ['job-20.1', 'job-20.1']);
    assert.equal(runsSince(runs), 1);
    assert.equal(cloud.stats.runs.at(-1), handle.promptId);
  });

  it('GIVEN a 503 before the service accepted the job THEN the retry with the same key creates it, once', async () => {
    const client = cloudClient(cloud);
    cloud.script.submitAnswers.push({ status: 503 });
    const runs = cloud.stats.runs.length;
    assert.equal((await (await client.submit(cloudWorkflow(21))).done).type, 'succeeded');
    assert.equal(runsSince(runs), 1);
  });

  it('GIVEN 5xx on every attempt THEN submit gives up with "outcome unknown", never with a new key', async () => {
    const client = cloudClient(cloud, { submitAttempts: 3 });
    cloud.script.submitAnswers.push({ status: 500 }, { status: 500 }, { status: 500 });
    const keys = cloud.stats.keys.length;
    await assert.rejects(
      client.submit(cloudWorkflow(22), { idempotencyKey: 'job-22.1' }),
      (e: Error) => e instanceof SubmitOutcomeUnknownError && e.idempotencyKey === 'job-22.1',
    );
    assert.deepEqual(cloud.stats.keys.slice(keys), ['job-22.1', 'job-22.1', 'job-22.1']);
  });

  it('GIVEN a service that does not name the job behind a reused key THEN submit says the outcome is unknown and nothing runs twice', async () => {
    const quiet = await startFakeCloud({ apiKey: CLOUD_KEY, stepDelayMs: 5, reuseNamesJob: false });
    try {
      const client = cloudClient(quiet);
      quiet.script.submitAnswers.push({ status: 502, afterAccept: true });
      await assert.rejects(
        client.submit(cloudWorkflow(23), { idempotencyKey: 'job-23.1' }),
        SubmitOutcomeUnknownError,
      );
      assert.deepEqual(quiet.stats.keys, ['job-23.1', 'job-23.1'], 'one key, so at most one job');
      await until(() => quiet.stats.runs.length === 1);
    } finally {
      await quiet.close();
    }
  });

  it('GIVEN a job past the time limit THEN it is canceled on the service and fails as timed out', async () => {
    cloud.script.hold = true;
    const client = cloudClient(cloud, { jobTimeoutMs: 150 });
    const handle = await client.submit(cloudWorkflow(24));
    const outcome = await handle.done;
    assert.equal(outcome.type, 'failed');
    assert.equal(outcome.type === 'failed' ? outcome.error.exceptionType : '', 'TimeLimitExceeded');
    cloud.release();
    assert.equal(cloud.statusOf(handle.promptId), 'canceled');
  });

  it('GIVEN an invalid workflow THEN submit fails with a validation error naming the node, and the backend stays ready', async () => {
    const client = cloudClient(cloud);
    const wf = { ...cloudWorkflow(25), '12': { inputs: {} } } as never;
    await assert.rejects(
      client.submit(wf),
      (e: Error) => e instanceof ComfyValidationError && e.issues.some((i) => i.nodeId === '12'),
    );
    assert.equal(client.condition.state, 'ready');
    assert.equal(client.slots.used, 0);
  });

  it('GIVEN operator extra_data THEN only the partner-node key is sent (the closed extra_data object)', async () => {
    const client = cloudClient(cloud);
    const extraData = { api_key_comfy_org: 'partner-key', client_tag: 'x' };
    assert.equal((await (await client.submit(cloudWorkflow(26), { extraData })).done).type, 'succeeded');
    assert.deepEqual(cloud.stats.extraData.at(-1), { api_key_comfy_org: 'partner-key' });
  });

  it('GIVEN nothing listening at the base URL THEN submit fails as unreachable and the backend says so', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const client = cloudClient(cloud, { baseUrl: `http://127.0.0.1:${port}`, submitAttempts: 2 });
    await assert.rejects(client.submit(cloudWorkflow(27)), (e: Error) => e instanceof ComfyUnreachableError);
    assert.equal(client.condition.state, 'unreachable');
    const probe = await client.probe(2000);
    assert.equal(probe.reachable, false);
  });
});
