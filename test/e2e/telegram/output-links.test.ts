import assert from 'node:assert/strict';
import { copyFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TELEGRAM_LIMITS } from '../../../src/adapters/telegram/results.ts';
import { assertLinkServes, linkIn, startLinked } from '../../helpers/link-server.ts';
import { workflowsCopy } from '../../helpers/media-workflow.ts';
import { botMessages, broken, buttonsOf, type Harness, harness } from './harness.ts';

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/workflows');

describe('GIVEN an animation over even the document limit and a public URL (test-only limits)', () => {
  let h: Harness;
  let close: () => Promise<void>;
  let dir: string;
  before(async () => {
    dir = workflowsCopy('comfyrelay-tg-links-', ['sd15-txt2img.json', 'sd15-txt2img.manifest.yaml']);
    // SaveImage, PreviewImage and SaveAnimatedWEBP.
    copyFileSync(join(FIXTURES, 'multi-save.json'), join(dir, 'multi-save.json'));
    ({ h, close } = await startLinked((links) =>
      harness({
        comfy: { stepDelayMs: 5 },
        config: { workflowsDir: dir },
        telegram: { limits: { ...TELEGRAM_LIMITS, mediaMaxBytes: 16, documentMaxBytes: 16 } },
        links,
      }),
    ));
  });
  after(async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('WHEN it runs THEN the images are posted and the animation comes as a link serving its bytes', async () => {
    const user = h.tg.addUser({ first_name: 'Lin' });
    await h.tg.userSends({ userId: user.id, text: 'a spinning top --model multi-save --batch 2' });
    await h.tg.waitFor(
      (f) => botMessages(f, user.id).some((m) => buttonsOf(m).some((b) => /Reroll/.test(b.text))),
      { timeoutMs: 20_000 },
    );
    const messages = botMessages(h.tg, user.id);
    assert.equal(messages.filter((m) => m.photo).length, 2);
    assert.equal(h.tg.callsTo('sendAnimation').length + h.tg.callsTo('sendDocument').length, 0);
    const note = messages.find((m) => m.text && linkIn(m.text));
    assert.ok(note, messages.map((m) => m.text ?? '(media)').join(' | '));
    assert.match(note.text!, /\.webp is over the 50 MB Telegram lets bots send\. Download it here \(until /);
    const url = linkIn(note.text!)!;
    await assertLinkServes(h.app, url, '.webp', 'image/webp');
    assert.deepEqual(broken(h.tg), []);
  });
});
