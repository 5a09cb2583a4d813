import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { ConfigInput } from '../../../src/config/index.ts';
import { MEDIA_EXPECTED, MEDIA_TEMPLATE, mediaWorkflowsDir } from '../../helpers/media-workflow.ts';
import { imagineResult } from './imagine-result.ts';
import { type Harness, noUnhandledRejections, startHarness } from './harness.ts';

noUnhandledRejections();

describe('discord: animations, videos and audio are delivered', () => {
  let h: Harness;
  let dir: string;
  before(async () => {
    dir = mediaWorkflowsDir('comfyrelay-discord-media-');
    h = await startHarness({ comfy: { stepDelayMs: 5 }, config: { workflowsDir: dir } as ConfigInput });
  });
  after(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const imagine = () => imagineResult(h, { prompt: 'a fox', workflow: MEDIA_TEMPLATE });

  it('GIVEN a workflow saving an animated WebP, a WebM, an MP4 and a FLAC THEN each is attached as it was made', async () => {
    const msg = await imagine();
    const names = msg.attachments.map((a) => a.filename);
    for (const e of MEDIA_EXPECTED) {
      const file = msg.attachments.find((a) => a.filename.endsWith(e.ext));
      assert.ok(file, `${e.ext} among ${names.join(', ')}`);
      assert.equal(file.contentType, e.mime);
      assert.ok(Buffer.from(file.bytes).subarray(0, e.magic.length).equals(Buffer.from(e.magic, 'latin1')));
    }
    const webp = msg.attachments.find((a) => a.filename.endsWith('.webp'))!;
    assert.match(Buffer.from(webp.bytes).toString('latin1'), /ANMF/, 'still animated (not flattened)');
    assert.deepEqual(h.fake.violations(), []);
  });

  it('GIVEN files over the attachment size limit THEN what fits is attached and each other file is named with its size', async () => {
    const limit = 1024;
    h.fake.setAttachmentSizeLimit(limit);
    try {
      const msg = await imagine();
      const attached = msg.attachments.map((a) => a.filename);
      assert.ok(
        msg.attachments.every((a) => a.bytes.length <= limit),
        attached.join(', '),
      );
      assert.ok(
        attached.some((n) => n.endsWith('.webm')),
        'the 500-byte WebM fits',
      );
      assert.ok(!attached.some((n) => n.endsWith('.mp4')), 'the 1.5 KB MP4 does not');
      assert.match(msg.content, /\.mp4 \(1\.5 KB\) is larger than the 1 KB Discord accepts here/);
      for (const e of MEDIA_EXPECTED)
        assert.ok(
          attached.some((n) => n.endsWith(e.ext)) || new RegExp(`\\${e.ext} \\(`).test(msg.content),
          `${e.ext}: attached or named (${msg.content})`,
        );
      assert.deepEqual(h.fake.violations(), []);
    } finally {
      h.fake.setAttachmentSizeLimit(10 * 1024 * 1024);
    }
  });
});
