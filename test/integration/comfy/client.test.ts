import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { ComfyClient, type ComfyJobEvent, ComfyValidationError } from '../../../src/comfy/index.ts';
import { type FakeComfy, startFakeComfy } from '../../fakes/comfy/index.ts';
import { sdWorkflow, TWO_OUTPUTS } from './workflows.ts';

const PNG_MAGIC = '89504e470d0a1a0a';
const clients: ComfyClient[] = [];

function client(
  fake: FakeComfy,
  extra: Partial<ConstructorParameters<typeof ComfyClient>[0]> = {},
): ComfyClient {
  const c = new ComfyClient({
    baseUrl: fake.url,
    reconnect: { initialMs: 20, maxMs: 200 },
    idleEventMs: 1500,
    reconcileThrottleMs: 100,
    unreachableLostMs: 1500,
    ...extra,
  });
  clients.push(c);
  return c;
}

function recorder() {
  const events: ComfyJobEvent[] = [];
  return { events, onEvent: (e: ComfyJobEvent) => events.push(e), types: () => events.map((e) => e.type) };
}

const until = async (check: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('ComfyClient against the fake ComfyUI', () => {
  let fake: FakeComfy;
  before(async () => {
    fake = await startFakeComfy({ models: { checkpoints: ['tiny-random.safetensors'] }, stepDelayMs: 10 });
  });
  afterEach(async () => {
    fake.clearFaults();
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await fake.idle();
  });
  after(() => fake.close());

  it('GIVEN a txt2img prompt THEN it reports position, progress, previews, the output, and succeeds', async () => {
    const c = client(fake);
    const r = recorder();
    const handle = await c.submit(sdWorkflow(1), { onEvent: r.onEvent });
    assert.match(handle.promptId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const outcome = await handle.done;
    assert.equal(outcome.type, 'succeeded');
    assert.ok(r.types().includes('started'));
    const progress = r.events.filter((e) => e.type === 'progress');
    assert.deepEqual(
      progress.map((e) => e.type === 'progress' && e.value),
      [1, 2, 3, 4],
    );
    const previews = r.events.filter((e) => e.type === 'preview');
    assert.equal(previews.length, 4);
    assert.ok(previews.every((p) => p.type === 'preview' && p.mime === 'image/jpeg' && p.data[0] === 0xff));
    const overall = r.events.flatMap((e) => (e.type === 'overall' ? [e.fraction] : []));
    assert.ok(
      overall.length > 0 && overall.every((f, i) => i === 0 || f >= overall[i - 1]!),
      'overall progress only grows',
    );
    assert.equal(r.events.at(-1)?.type, 'succeeded');
    assert.ok(outcome.type === 'succeeded');
    assert.equal(outcome.outputs.length, 1);
    const file = outcome.outputs[0]!.file!;
    const bytes = await c.viewBytes(file);
    assert.equal(bytes.subarray(0, 8).toString('hex'), PNG_MAGIC);
    const post = fake.requests.find((q) => q.method === 'POST' && q.path === '/prompt');
    const body = post?.json as { client_id?: string; prompt_id?: string } | undefined;
    assert.equal(body?.client_id, c.clientId);
    assert.equal(body?.prompt_id, handle.promptId);
  });

  it('GIVEN the same prompt twice THEN the fully cached re-run succeeds with the outputs from history', async () => {
    const c = client(fake);
    const first = await (await c.submit(sdWorkflow(77))).done;
    const r = recorder();
    const second = await (await c.submit(sdWorkflow(77), { onEvent: r.onEvent })).done;
    assert.equal(first.type, 'succeeded');
    assert.equal(second.type, 'succeeded', JSON.stringify(second));
    assert.ok(second.type === 'succeeded' && first.type === 'succeeded');
    assert.deepEqual(second.outputs, first.outputs);
    assert.ok(!r.types().includes('progress'), 'a cached run has no sampler progress');
    assert.ok(r.types().includes('cached'));
  });

  it('GIVEN a workflow with two output nodes THEN both outputs are returned', async () => {
    const c = client(fake);
    const outcome = await (await c.submit(TWO_OUTPUTS)).done;
    assert.ok(outcome.type === 'succeeded');
    assert.deepEqual(outcome.outputs.map((o) => [o.node, o.file?.type]).sort(), [
      ['3', 'output'],
      ['4', 'temp'],
    ]);
  });

  it('GIVEN a checkpoint that is not installed THEN submit rejects naming the node, the input and what is installed', async () => {
    const c = client(fake);
    const w = sdWorkflow(2);
    w['4'].inputs.ckpt_name = 'missing.safetensors';
    await assert.rejects(c.submit(w), (error: unknown) => {
      assert.ok(error instanceof ComfyValidationError);
      assert.match(
        error.message,
        /CheckpointLoaderSimple #4, input "ckpt_name": "missing\.safetensors" is not one of the allowed values\. Installed: tiny-random\.safetensors/,
      );
      return true;
    });
    assert.equal(c.inFlight.length, 0);
  });

  it('GIVEN a node that fails at run time THEN the job fails with the node, the error type and the message', async () => {
    fake.failNode('KSampler', 'mat1 and mat2 shapes cannot be multiplied', 'RuntimeError');
    const c = client(fake);
    const outcome = await (await c.submit(sdWorkflow(3))).done;
    assert.ok(outcome.type === 'failed', JSON.stringify(outcome));
    assert.equal(outcome.error.nodeType, 'KSampler');
    assert.equal(outcome.error.node, '3');
    assert.equal(outcome.error.exceptionType, 'RuntimeError');
    assert.match(outcome.error.message, /mat1 and mat2/);
  });

  it("GIVEN two people's jobs WHEN one is canceled while running THEN only it stops, by prompt id", async () => {
    const mine = client(fake);
    const theirs = client(fake);
    const r = recorder();
    const a = await mine.submit(sdWorkflow(10, 30), { onEvent: r.onEvent });
    const b = await theirs.submit(sdWorkflow(11, 3));
    await until(() => r.types().includes('progress'));
    // Held until the interrupt came: the job cannot end before it is canceled.
    fake.stall(true);
    await mine.cancel(a.promptId);
    await until(() => fake.interrupts.byPromptId.length + fake.interrupts.global > 0);
    fake.stall(false);
    const [oa, ob] = await Promise.all([a.done, b.done]);
    assert.equal(oa.type, 'interrupted');
    assert.equal(ob.type, 'succeeded');
    assert.equal(fake.interrupts.global, 0, 'no global interrupt');
    assert.deepEqual(fake.interrupts.byPromptId, [a.promptId]);
  });

  it('GIVEN a pending job WHEN it is canceled THEN it is deleted from the queue and the running one continues', async () => {
    // The running job is held until the pending one was canceled.
    fake.stall(true);
    const c = client(fake);
    const running = await c.submit(sdWorkflow(20, 8));
    const pending = await c.submit(sdWorkflow(21, 8));
    await until(() => fake.queueIds().pending.includes(pending.promptId));
    await until(() => fake.queueIds().running === running.promptId);
    await c.cancel(pending.promptId);
    assert.equal((await pending.done).type, 'canceled');
    fake.stall(false);
    assert.equal((await running.done).type, 'succeeded');
    const del = fake.requests.findLast((q) => q.path === '/queue' && q.method === 'POST');
    assert.deepEqual((del?.json as { delete?: string[] } | undefined)?.delete, [pending.promptId]);
  });

  it('GIVEN every socket dropped mid-job THEN the client reconnects and the job still completes', async () => {
    const c = client(fake);
    const r = recorder();
    const handle = await c.submit(sdWorkflow(30, 12), { onEvent: r.onEvent });
    await until(() => r.types().includes('progress'));
    fake.dropSockets();
    const outcome = await handle.done;
    assert.equal(outcome.type, 'succeeded');
    assert.ok(c.reconnects >= 1, 'the socket reconnected');
    assert.ok(outcome.type === 'succeeded' && outcome.outputs.length === 1);
  });

  it('GIVEN the backend restarts mid-job, losing its queue THEN the job is reported lost within a bounded time', async () => {
    fake.setStepDelay(50);
    const c = client(fake);
    const r = recorder();
    const handle = await c.submit(sdWorkflow(40, 40), { onEvent: r.onEvent });
    await until(() => r.types().includes('progress'));
    const t0 = Date.now();
    await fake.restart();
    const outcome = await handle.done;
    assert.equal(outcome.type, 'lost');
    assert.ok(Date.now() - t0 < 5000, `reported after ${Date.now() - t0} ms`);
    fake.setStepDelay(10);
  });

  it('GIVEN the same image uploaded twice, even by a new client THEN it is stored once under its hash name', async () => {
    const bytes = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const c = client(fake);
    const before = fake.requests.filter((q) => q.path.startsWith('/upload/image')).length;
    const [n1, n2] = await Promise.all([c.uploadImage(bytes), c.uploadImage(bytes)]);
    const n3 = await c.uploadImage(bytes);
    assert.equal(n1, n2);
    assert.equal(n1, n3);
    assert.match(n1, /^comfyrelay_[0-9a-f]{32}\.png$/);
    assert.equal(fake.requests.filter((q) => q.path.startsWith('/upload/image')).length - before, 1);
    const again = await client(fake).uploadImage(bytes);
    assert.equal(again, n1, 'ComfyUI keeps the name for identical bytes: no "(1)" copy');
  });

  it('GIVEN the socket misses every event THEN polling after a silence still settles the job', async () => {
    const c = client(fake, { idleEventMs: 100 });
    await c.connect();
    const handle = await c.submit(sdWorkflow(50));
    // Steal the client id's socket: the server now routes this job's events elsewhere.
    const { default: WebSocket } = await import('ws');
    const thief = new WebSocket(`${fake.wsUrl}?clientId=${c.clientId}`);
    await new Promise((r) => thief.once('open', r));
    const outcome = await handle.done;
    thief.close();
    assert.equal(outcome.type, 'succeeded');
  });
});
