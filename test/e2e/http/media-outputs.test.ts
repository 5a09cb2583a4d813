import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { scriptedClassifier } from '../../../src/core/safety/classifier.ts';
import { settled } from '../../helpers/app.ts';
import {
  MEDIA_EXPECTED,
  MEDIA_TEMPLATE,
  MEDIA_WORKFLOW,
  workflowsCopy,
  writeMediaTemplate,
} from '../../helpers/media-workflow.ts';
import { type Harness, startHarness } from './harness.ts';
import { imagine, postJob } from './requests.ts';

type Output = {
  node_id: string;
  name: string;
  type: string;
  content_type: string;
  size_bytes: number;
  url: string;
};

describe('HTTP API: animations, videos and audio', () => {
  let h: Harness;
  const dir = workflowsCopy('media-workflows-', ['sd15-txt2img.json', 'sd15-txt2img.manifest.yaml']);
  before(async () => {
    writeMediaTemplate(dir);
    // Every file judged safe: this test is about kinds of files (safety-outputs.test.ts is about the rest).
    h = await startHarness({
      config: { workflowsDir: dir },
      safetyClassifier: scriptedClassifier({ neutral: 1 }),
    });
  });
  after(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const byNode = (outputs: Output[]) => MEDIA_EXPECTED.map((e) => outputs.find((o) => o.node_id === e.node)!);

  it('GIVEN a Comfy API v2 job saving WebP animation, WebM, MP4 and FLAC THEN its outputs list each type and content type, and each downloads inline with its bytes', async () => {
    const res = await postJob(h, { workflow: MEDIA_WORKFLOW });
    assert.equal(res.status, 201);
    const { id } = (await res.json()) as { id: string };
    assert.equal((await settled(h.app, id)).state, 'succeeded');
    const job = (await (await fetch(`${h.url}/api/v2/jobs/${id}`, { headers: h.auth() })).json()) as {
      outputs: Output[];
    };
    const outputs = byNode(job.outputs);
    assert.deepEqual(
      outputs.map((o) => [o?.type, o?.content_type]),
      MEDIA_EXPECTED.map((e) => [e.kind, e.mime]),
    );
    for (const [i, o] of outputs.entries()) {
      const e = MEDIA_EXPECTED[i]!;
      assert.ok(o.name.endsWith(e.ext), o.name);
      const got = await fetch(o.url, { headers: h.auth() });
      assert.equal(got.status, 200);
      assert.equal(got.headers.get('content-type'), e.mime);
      assert.equal(got.headers.get('accept-ranges'), 'bytes');
      assert.match(got.headers.get('content-disposition') ?? '', /^inline;/, `${e.mime} plays in place`);
      const bytes = Buffer.from(await got.arrayBuffer());
      assert.equal(bytes.length, o.size_bytes);
      assert.equal(bytes.subarray(0, e.magic.length).toString('latin1'), e.magic);
    }
  });

  it('GIVEN the relay API and a media template THEN a video is served by ranges (206, Content-Range) as players ask', async () => {
    const res = await imagine(h, { template: MEDIA_TEMPLATE, prompt: 'a fox' });
    assert.equal(res.status, 202, await res.clone().text());
    const { id } = (await res.json()) as { id: string };
    assert.equal((await settled(h.app, id)).state, 'succeeded');
    const job = (await (await fetch(`${h.url}/api/relay/jobs/${id}`, { headers: h.auth() })).json()) as {
      outputs: Output[];
    };
    const mp4 = job.outputs.find((o) => o.content_type === 'video/mp4')!;
    assert.equal(mp4.type, 'video');
    const whole = Buffer.from(await (await fetch(mp4.url, { headers: h.auth() })).arrayBuffer());
    const part = await fetch(mp4.url, { headers: { ...h.auth(), Range: 'bytes=4-11' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 4-11/${whole.length}`);
    assert.equal(part.headers.get('content-type'), 'video/mp4');
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), whole.subarray(4, 12));
    const flac = job.outputs.find((o) => o.type === 'audio')!;
    assert.equal(flac.content_type, 'audio/flac');
  });
});
