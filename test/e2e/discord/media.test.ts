import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ConfigInput } from '../../../src/config/index.ts';
import { WORKFLOWS_DIR, waitFor } from '../../helpers/app.ts';
import { MEDIA_EXPECTED, MEDIA_TEMPLATE, writeMediaTemplate } from '../../helpers/media-workflow.ts';
import { type Harness, noUnhandledRejections, startHarness } from './harness.ts';

noUnhandledRejections();

describe('discord: animations, videos and audio are delivered', () => {
  let h: Harness;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'comfyrelay-discord-media-'));
    for (const f of readdirSync(WORKFLOWS_DIR))
      if (f.startsWith('sd15')) copyFileSync(join(WORKFLOWS_DIR, f), join(dir, f));
    writeMediaTemplate(dir);
    h = await startHarness({ comfy: { stepDelayMs: 5 }, config: { workflowsDir: dir } as ConfigInput });
  });
  after(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const imagine = async () => {
    const handle = await h.fake.slashCommand({
      guildId: h.guildId,
      channelId: h.channelId,
      userId: h.alice,
      name: 'imagine',
      options: { prompt: 'a fox', workflow: MEDIA_TEMPLATE },
    });
    await waitFor(() => (handle.original()?.embeds.length ?? 0) > 0, 15_000, 'result');
    return handle.original()!;
  };

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
