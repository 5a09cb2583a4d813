import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Comfy } from '@comfyorg/sdk';
import { ComfyLow, schemas } from '@comfyorg/sdk/low';
import { pngBytes } from '../../fakes/comfy/images.ts';
import { settled, waitFor } from '../../helpers/app.ts';
import { type Harness, stallAtProgress, startHarness } from './harness.ts';

const IMG2IMG = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../../../workflows/sd15-img2img.json'), 'utf8'),
) as Record<string, { inputs: Record<string, unknown> }>;
const PNG = '89504e470d0a1a0a';

describe('the official @comfyorg/sdk against ComfyRelay', () => {
  let h: Harness;
  let client: Comfy;
  let low: ComfyLow;
  before(async () => {
    h = await startHarness({ progressIntervalMs: 50 });
    process.env['COMFY_BASE_URL'] = h.url;
    client = new Comfy({ apiKey: h.key });
    low = new ComfyLow(h.url, h.key);
  });
  after(() => h.close());

  it('GIVEN an input asset and an img2img workflow THEN it uploads, runs, streams events and downloads the output, every response matching the SDK schemas', async () => {
    const input = await pngBytes(32, 32, [10, 200, 30]);
    const wf = client.workflows.fromJson(structuredClone(IMG2IMG));
    const asset = client.assets.fromBytes(input, { filename: 'in.png', contentType: 'image/png' });
    wf.setInput('10', 'image', asset);
    wf.setInput('3', 'steps', 30);
    // Held at its first progress until that progress is in the job's event log: the job cannot end first.
    const stall = stallAtProgress(h);
    const job = await client.submit(wf);
    await stall.reached;
    stall.release();
    const kinds: string[] = [];
    const outputIds: string[] = [];
    for await (const e of job.events()) {
      kinds.push(e.kind);
      if (e.kind === 'outputReady') outputIds.push(e.output.id);
    }
    assert.ok(kinds.includes('progress'), kinds.join());
    assert.equal(kinds.at(-1), 'statusChange');
    await job.result();
    assert.equal(job.status, 'succeeded');
    const out = job.getOutputs('9');
    assert.equal(out.length, 1);
    assert.deepEqual(outputIds, [out[0]!.id]);
    const bytes = await out[0]!.toBytes();
    assert.equal(Buffer.from(bytes.subarray(0, 8)).toString('hex'), PNG);
    const first4 = await out[0]!.toBytes({ range: [0, 3] });
    assert.equal(first4.length, 4);
    // The input asset reached the backend: LoadImage got the uploaded name.
    assert.equal(h.fakes[0]!.uploads().length, 1);

    // Every response parses with the SDK's own zod schemas.
    schemas.zJob.parse(await low.getJob(job.id));
    schemas.zJobWorkflowResponse.parse(await low.getJobWorkflow(job.id));
    const assetModel = await low.getAsset(out[0]!.id);
    schemas.zAsset.parse(assetModel);
    assert.equal(assetModel.job_id, job.id);
    const inputId = await asset.commit();
    schemas.zAsset.parse(await low.getAsset(inputId));
    assert.equal(await low.headAssetByHash(await asset.hash()), true);
    schemas.zAsset.parse(await low.assetFromHash(await asset.hash(), { filePath: 'again.png' }));
    for await (const raw of low.getJobEvents(job.id)) {
      if (raw.event === 'progress') schemas.zProgress.parse(raw.data);
      if (raw.event === 'output') schemas.zOutput.parse(raw.data);
      if (raw.event === 'status') schemas.zJobStatus.parse(raw.data['status']);
    }
    // The same bytes again: the SDK dedups by hash instead of uploading.
    const again = client.assets.fromBytes(input, { filename: 'in.png', contentType: 'image/png' });
    await again.commit();
    assert.equal(again.createdNew, false);
    await client.assets.delete(inputId);
    await assert.rejects(low.getAsset(inputId), (e: Error) => e.name === 'NotFound');
  });

  it('GIVEN a running job WHEN the SDK cancels it THEN it ends canceled, and canceling again is harmless', {
    timeout: 30_000,
  }, async () => {
    const wf = client.workflows.fromJson(structuredClone(IMG2IMG));
    wf.setInput('10', 'image', 'example.png');
    wf.setInput('3', 'steps', 40);
    // Held at its first progress: the job cannot end before the cancel reached ComfyUI.
    const stall = stallAtProgress(h);
    const job = await client.submit(wf);
    await stall.reached;
    for await (const e of job.events()) {
      if (e.kind === 'progress') break;
    }
    const canceling = await low.cancelJob(job.id);
    schemas.zJob.parse(canceling);
    assert.ok(['canceling', 'canceled'].includes(canceling.status), canceling.status);
    const { interrupts } = h.fakes[0]!;
    await waitFor(() => interrupts.global + interrupts.byPromptId.length > 0);
    stall.release();
    // Ended first, so that the SDK's first poll sees it (its next is half a second later).
    await settled(h.app, job.id);
    await job.wait(15_000);
    assert.equal(job.status, 'canceled');
    await job.cancel();
    assert.equal(job.status, 'canceled');
    schemas.zJob.parse(await low.cancelJob(job.id));
  });

  it('GIVEN a workflow in UI format or an unknown asset THEN the SDK gets typed errors', async () => {
    await assert.rejects(
      low.postJobs({
        '1': { class_type: 'LoadImage', inputs: { image: { __type: 'core/ASSET', info: { id: 'nope' } } } },
      }),
      (e: Error & { code?: string; httpStatus?: number }) =>
        e.code === 'missing_asset' && e.httpStatus === 422,
    );
    await assert.rejects(
      low.postJobs({ nodes: [], links: [], last_node_id: 1 }),
      (e: Error & { code?: string }) => e.code === 'workflow_format_ui',
    );
    const noKey = new ComfyLow(h.url);
    await assert.rejects(noKey.getJob('x'), (e: Error & { httpStatus?: number }) => e.httpStatus === 401);
  });
});
