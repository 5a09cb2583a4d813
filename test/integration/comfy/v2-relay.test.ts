import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { ComfyApiV2Client } from '../../../src/comfy/index.ts';
import { pngBytes } from '../../fakes/comfy/images.ts';
import { type Harness, stallAtProgress, startHarness } from '../../e2e/http/harness.ts';
import { PNG_MAGIC, recorder, until } from './v2-helpers.ts';

type Graph = Record<string, { class_type: string; inputs: Record<string, unknown> }>;
const load = (name: string): Graph =>
  JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../workflows', name), 'utf8')) as Graph;
const TXT2IMG = load('sd15-txt2img.json');
const IMG2IMG = load('sd15-img2img.json');

function txt2img(steps: number): Graph {
  const wf = structuredClone(TXT2IMG);
  wf['3']!.inputs.steps = steps;
  Object.assign(wf['5']!.inputs, { width: 64, height: 64 });
  return wf;
}

describe('another ComfyRelay (its Comfy API v2 over a fake ComfyUI) as a comfy-api-v2 backend', () => {
  let h: Harness;
  let client: ComfyApiV2Client;
  before(async () => {
    // Progress goes out every 50 ms (500 by default), and a job is held at its first progress so that it
    // shows some however fast it runs.
    h = await startHarness({ progressIntervalMs: 50 });
  });
  afterEach(() => client.close());
  after(() => h.close());

  it('GIVEN a txt2img workflow THEN it reports start, the sampler node and its steps, succeeds, and its image downloads', async () => {
    client = new ComfyApiV2Client({ baseUrl: h.url, apiKey: h.key });
    const r = recorder();
    const stall = stallAtProgress(h);
    const handle = await client.submit(txt2img(30), { onEvent: r.onEvent });
    await stall.reached;
    stall.release();
    const outcome = await handle.done;
    assert.equal(outcome.type, 'succeeded', JSON.stringify(outcome));
    assert.ok(r.types().includes('started'));
    assert.ok(r.events.some((e) => e.type === 'executing' && e.node === '3' && e.classType === 'KSampler'));
    const steps = r.events.flatMap((e) => (e.type === 'progress' ? [e.value] : []));
    assert.ok(steps.length > 0 && steps.every((s, i) => i === 0 || s >= steps[i - 1]!), steps.join());
    const image = outcome.type === 'succeeded' ? outcome.outputs.find((o) => o.kind === 'image') : undefined;
    assert.equal(image?.node, '9');
    const bytes = await client.viewBytes(image!.file!);
    assert.equal(bytes.subarray(0, 8).toString('hex'), PNG_MAGIC);
  });

  it('GIVEN an input image THEN it goes up as an asset, once, and img2img runs on it', async () => {
    client = new ComfyApiV2Client({ baseUrl: h.url, apiKey: h.key });
    const input = await pngBytes(32, 32, [10, 200, 30]);
    const ref = await client.uploadImage(input, 'png');
    assert.deepEqual(await client.uploadImage(input, 'png'), ref);
    const wf = structuredClone(IMG2IMG);
    wf['10']!.inputs.image = ref;
    const uploadsBefore = h.fakes[0]!.uploads().length;
    const outcome = await (await client.submit(wf)).done;
    assert.equal(outcome.type, 'succeeded', JSON.stringify(outcome));
    assert.equal(h.fakes[0]!.uploads().length - uploadsBefore, 1, 'the image reached the GPU behind it');
  });

  it('GIVEN a running job WHEN it is canceled THEN it ends canceled on both ComfyRelays', async () => {
    client = new ComfyApiV2Client({ baseUrl: h.url, apiKey: h.key });
    // Held at its first progress: the job cannot end before the cancel reached the ComfyUI behind.
    const stall = stallAtProgress(h);
    try {
      const r = recorder();
      const handle = await client.submit(txt2img(40), { promptId: 'ours-1', onEvent: r.onEvent });
      await r.next('progress');
      await client.cancel('ours-1');
      const { interrupts } = h.fakes[0]!;
      await until(() => interrupts.global + interrupts.byPromptId.length > 0);
      stall.release();
      assert.deepEqual(await handle.done, { type: 'canceled' });
      assert.equal((await h.app.engine.get(handle.promptId))?.state, 'canceled');
    } finally {
      stall.release();
    }
  });
});
