import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ConfigInput } from '../../../src/config/index.ts';
import { resultReader } from '../../../src/core/ports/result-reader.ts';
import { WORKFLOWS_DIR, waitFor } from '../../helpers/app.ts';
import { type LinkServer, linkIn, startLinkServer } from '../../helpers/link-server.ts';
import { MEDIA_TEMPLATE, writeMediaTemplate } from '../../helpers/media-workflow.ts';
import { type Harness, noUnhandledRejections, startHarness } from './harness.ts';

noUnhandledRejections();

describe('discord: a file over the attachment limit, with a public URL configured', () => {
  let h: Harness;
  let server: LinkServer;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'comfyrelay-discord-links-'));
    for (const f of readdirSync(WORKFLOWS_DIR))
      if (f.startsWith('sd15')) copyFileSync(join(WORKFLOWS_DIR, f), join(dir, f));
    writeMediaTemplate(dir);
    server = await startLinkServer();
    h = await startHarness({
      comfy: { stepDelayMs: 5 },
      config: { workflowsDir: dir } as ConfigInput,
      links: server.links,
    });
    server.serve(() => h.app);
  });
  after(async () => {
    await h.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GIVEN an MP4 over the limit THEN the message links to it and the link serves its exact bytes', async () => {
    h.fake.setAttachmentSizeLimit(1024);
    try {
      const handle = await h.fake.slashCommand({
        guildId: h.guildId,
        channelId: h.channelId,
        userId: h.alice,
        name: 'imagine',
        options: { prompt: 'a fox', workflow: MEDIA_TEMPLATE },
      });
      await waitFor(() => (handle.original()?.embeds.length ?? 0) > 0, 15_000, 'result');
      const msg = handle.original()!;
      assert.ok(!msg.attachments.some((a) => a.filename.endsWith('.mp4')), 'the 1.5 KB MP4 is not attached');
      assert.match(
        msg.content,
        /\.mp4 \(1\.5 KB\) is larger than the 1 KB Discord accepts here; download it/,
      );
      const url = linkIn(msg.content);
      assert.ok(url, msg.content);
      const res = await fetch(url);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'video/mp4');
      const served = Buffer.from(await res.arrayBuffer());
      const jobId = new URL(url).pathname.split('/')[2]!;
      const job = (await h.app.engine.get(jobId))!;
      const read = await resultReader(h.app.pool).read(job);
      assert.ok(read.ok);
      const mp4 = read.value.files.find((f) => f.filename.endsWith('.mp4'))!;
      assert.deepEqual(served, mp4.bytes);
      const tampered = await fetch(url.replace(/\/(\d+)\?/, (_, i) => `/${Number(i) + 1}?`));
      assert.equal(tampered.status, 404);
      assert.deepEqual(h.fake.violations(), []);
    } finally {
      h.fake.setAttachmentSizeLimit(10 * 1024 * 1024);
    }
  });
});
