import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { ConfigInput } from '../../../src/config/index.ts';
import { assertLinkServes, linkIn, startLinked } from '../../helpers/link-server.ts';
import { MEDIA_TEMPLATE, mediaWorkflowsDir } from '../../helpers/media-workflow.ts';
import { imagineResult } from './imagine-result.ts';
import { type Harness, noUnhandledRejections, startHarness } from './harness.ts';

noUnhandledRejections();

describe('discord: a file over the attachment limit, with a public URL configured', () => {
  let h: Harness;
  let close: () => Promise<void>;
  let dir: string;
  before(async () => {
    dir = mediaWorkflowsDir('comfyrelay-discord-links-');
    ({ h, close } = await startLinked((links) =>
      startHarness({ comfy: { stepDelayMs: 5 }, config: { workflowsDir: dir } as ConfigInput, links }),
    ));
  });
  after(async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GIVEN an MP4 over the limit THEN the message links to it and the link serves its exact bytes', async () => {
    h.fake.setAttachmentSizeLimit(1024);
    try {
      const msg = await imagineResult(h, { prompt: 'a fox', workflow: MEDIA_TEMPLATE });
      assert.ok(!msg.attachments.some((a) => a.filename.endsWith('.mp4')), 'the 1.5 KB MP4 is not attached');
      assert.match(
        msg.content,
        /\.mp4 \(1\.5 KB\) is larger than the 1 KB Discord accepts here; download it/,
      );
      const url = linkIn(msg.content);
      assert.ok(url, msg.content);
      await assertLinkServes(h.app, url, '.mp4', 'video/mp4');
      const tampered = await fetch(url.replace(/\/(\d+)\?/, (_, i) => `/${Number(i) + 1}?`));
      assert.equal(tampered.status, 404);
      assert.deepEqual(h.fake.violations(), []);
    } finally {
      h.fake.setAttachmentSizeLimit(10 * 1024 * 1024);
    }
  });
});
