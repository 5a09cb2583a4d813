import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { schemas } from '@comfyorg/sdk/low';
import type { ComfyOutput } from '../../../src/comfy/index.ts';
import { pngBytes } from '../../fakes/comfy/images.ts';
import { type FakeCloud, startFakeCloud } from '../../fakes/cloud/index.ts';
import {
  CLOUD_KEY,
  closeClients,
  cloudClient,
  cloudWorkflow,
  PNG_MAGIC,
  recorder,
  until,
} from './v2-helpers.ts';

describe('the Comfy API v2 client against the Cloud stand-in', () => {
  let cloud: FakeCloud;
  before(async () => {
    cloud = await startFakeCloud({ apiKey: CLOUD_KEY, steps: 4, stepDelayMs: 15, redirectDownloads: true });
  });
  afterEach(async () => {
    cloud.script.hold = false;
    cloud.release();
    await closeClients();
  });
  after(() => cloud.close());

  it('GIVEN a workflow THEN it streams start, node, steps, overall progress, a preview and the output, succeeds, and the bytes download through the signed redirect', async () => {
    const client = cloudClient(cloud);
    const r = recorder();
    const handle = await client.submit(cloudWorkflow(1), { promptId: 'local-1', onEvent: r.onEvent });
    assert.notEqual(handle.promptId, 'local-1', 'the handle carries the id the service gave the job');
    const outcome = await handle.done;
    assert.equal(outcome.type, 'succeeded');
    assert.ok(r.types().includes('started'));
    assert.deepEqual(
      r.events.find((e) => e.type === 'executing'),
      {
        type: 'executing',
        node: '3',
        classType: 'KSampler',
        title: 'Main sampler',
      },
    );
    const steps = r.events.flatMap((e) => (e.type === 'progress' ? [`${e.value}/${e.max}`] : []));
    assert.deepEqual(steps, ['1/4', '2/4', '3/4', '4/4']);
    const fractions = r.events.flatMap((e) => (e.type === 'overall' ? [e.fraction] : []));
    assert.ok(fractions.length >= 4 && fractions.every((f, i) => i === 0 || f >= fractions[i - 1]!));
    assert.ok(r.events.some((e) => e.type === 'preview' && e.mime === 'image/jpeg' && e.node === '3'));
    assert.ok(r.events.some((e) => e.type === 'output' && e.output.node === '9'));
    assert.equal(r.types().at(-1), 'succeeded');
    const [image] = outcome.type === 'succeeded' ? outcome.outputs : [];
    assert.equal(image?.kind, 'image');
    assert.equal(image?.mime, 'image/png');
    assert.match(image?.file?.filename ?? '', /\.png$/);
    const bytes = await client.viewBytes(image!.file!);
    assert.equal(bytes.subarray(0, 8).toString('hex'), PNG_MAGIC);
    assert.ok(cloud.stats.signedAuth.length > 0, 'the download went through the signed URL');
    assert.deepEqual(
      cloud.stats.signedAuth,
      cloud.stats.signedAuth.map(() => undefined),
      'no key to the storage host',
    );
  });

  it('GIVEN the same input image twice, and from a second client THEN it is uploaded once and the job reads it by reference', async () => {
    const png = await pngBytes(16, 16, [1, 2, 3]);
    const uploadsBefore = cloud.stats.uploads;
    const a = cloudClient(cloud);
    const [ref1, ref2] = await Promise.all([a.uploadImage(png, 'png'), a.uploadImage(png, 'png')]);
    assert.deepEqual(ref1, ref2);
    assert.equal(ref1.__type, 'core/ASSET');
    assert.match(ref1.info.hash ?? '', /^blake3:[0-9a-f]{64}$/);
    const ref3 = await cloudClient(cloud).uploadImage(png, 'png');
    assert.notEqual(ref3.info.id, ref1.info.id, 'a new asset over the same blob');
    assert.equal(ref3.info.hash, ref1.info.hash);
    assert.equal(cloud.stats.uploads - uploadsBefore, 1, 'the bytes went over the wire once');
    const wf = { ...cloudWorkflow(2), '10': { class_type: 'LoadImage', inputs: { image: ref1 } } };
    const outcome = await (await a.submit(wf)).done;
    assert.equal(outcome.type, 'succeeded');
  });

  it('GIVEN a running job WHEN it is canceled THEN it ends canceled on the service and for us', async () => {
    cloud.script.hold = true;
    const client = cloudClient(cloud);
    const r = recorder();
    const handle = await client.submit(cloudWorkflow(3), { promptId: 'to-cancel', onEvent: r.onEvent });
    await r.next('progress');
    await client.cancel('to-cancel');
    cloud.release();
    const outcome = await handle.done;
    assert.equal(outcome.type, 'canceled');
    assert.equal(cloud.statusOf(handle.promptId), 'canceled');
    assert.deepEqual(client.inFlight, []);
    assert.equal(client.slots.used, 0);
  });

  it('GIVEN a submit waiting for a slot WHEN it is canceled THEN it is never sent', async () => {
    cloud.script.hold = true;
    const client = cloudClient(cloud, { slots: 1 });
    const first = await client.submit(cloudWorkflow(4));
    const submitsBefore = cloud.stats.submits;
    const waiting = client.submit(cloudWorkflow(5), { promptId: 'waiting' });
    await until(() => client.slots.waiting === 1);
    await client.cancel('waiting');
    const second = await waiting;
    assert.deepEqual(await second.done, { type: 'canceled' });
    assert.equal(cloud.stats.submits, submitsBefore, 'nothing was sent for it');
    cloud.release();
    assert.equal((await first.done).type, 'succeeded');
  });

  it('GIVEN a job that fails in a node THEN the outcome names the node, the error and its traceback', async () => {
    cloud.script.failNext = {
      code: 'node_execution_error',
      message: 'CUDA out of memory',
      node_id: '3',
      class_type: 'KSampler',
      traceback: 'Traceback (most recent call last):\n  File "x.py"\nRuntimeError: CUDA out of memory',
    };
    const outcome = await (await cloudClient(cloud).submit(cloudWorkflow(6))).done;
    assert.equal(outcome.type, 'failed');
    if (outcome.type !== 'failed') return;
    assert.equal(outcome.error.node, '3');
    assert.equal(outcome.error.nodeType, 'KSampler');
    assert.equal(outcome.error.exceptionType, 'node_execution_error');
    assert.equal(outcome.error.message, 'CUDA out of memory');
    assert.equal(outcome.error.traceback.at(-1), 'RuntimeError: CUDA out of memory');
  });

  it('GIVEN a SaveText node THEN its output arrives as text', async () => {
    const wf = { ...cloudWorkflow(7), '11': { class_type: 'SaveText', inputs: { text: 'a caption 字幕' } } };
    const outcome = await (await cloudClient(cloud).submit(wf)).done;
    assert.equal(outcome.type, 'succeeded');
    const texts =
      outcome.type === 'succeeded' ? outcome.outputs.filter((o: ComfyOutput) => o.kind === 'text') : [];
    assert.deepEqual(texts, [{ node: '11', key: 'text', kind: 'text', text: 'a caption 字幕' }]);
  });

  it('GIVEN a job submitted by another client (a restart) THEN attach follows it by id to its outcome', async () => {
    cloud.script.hold = true;
    const first = cloudClient(cloud);
    const handle = await first.submit(cloudWorkflow(8));
    await first.close();
    const second = cloudClient(cloud);
    const r = recorder();
    const again = second.attach(handle.promptId, cloudWorkflow(8), r.onEvent);
    await r.next('started');
    cloud.release();
    const outcome = await again.done;
    assert.equal(outcome.type, 'succeeded');
    assert.equal(outcome.type === 'succeeded' ? outcome.outputs.length : 0, 1);
  });

  it('GIVEN the stand-in THEN its job and asset answers parse with the SDK schemas', async () => {
    const client = cloudClient(cloud);
    const handle = await client.submit(cloudWorkflow(9));
    await handle.done;
    const auth = { authorization: `Bearer ${CLOUD_KEY}` };
    const job = await (await fetch(`${cloud.url}/api/v2/jobs/${handle.promptId}`, { headers: auth })).json();
    schemas.zJob.parse(job);
    const asset = await (
      await fetch(`${cloud.url}/api/v2/assets/${job.outputs[0].id}`, { headers: auth })
    ).json();
    schemas.zAsset.parse(asset);
  });
});

describe('the Comfy API v2 client against a deployment without live events', () => {
  it('GIVEN GET …/events answers 501 THEN the job is followed by polling to its outcome', async () => {
    const cloud = await startFakeCloud({ sse: false, stepDelayMs: 5 });
    try {
      const client = cloudClient(cloud);
      const outcome = await (await client.submit(cloudWorkflow(10))).done;
      assert.equal(outcome.type, 'succeeded');
      assert.equal(outcome.type === 'succeeded' ? outcome.outputs[0]?.kind : undefined, 'image');
    } finally {
      await closeClients();
      await cloud.close();
    }
  });
});
