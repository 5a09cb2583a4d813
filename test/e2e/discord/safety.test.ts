import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { FileSafety, JobResult } from '../../../src/core/jobs/ports.ts';
import type { FakeMessage } from '../../fakes/discord/fake-discord.ts';
import { waitFor } from '../../helpers/app.ts';
import { type Harness, noUnhandledRejections, startHarness } from './harness.ts';

noUnhandledRejections();

const EPHEMERAL = 64;
const SCORES = { drawing: 0.01, neutral: 0.02, sexy: 0.05, porn: 0.9, hentai: 0.02 };
const BLURRED = await sharp({
  create: { width: 32, height: 32, channels: 3, background: { r: 128, g: 128, b: 128 } },
})
  .jpeg()
  .toBuffer();

/** Stands in for the core's safety stage: the action is named in the prompt ("[blur] a cat"). */
function screen(job: { request: { prompt: string } }, result: JobResult): JobResult {
  const action = /\[(spoiler|blur|block)\]/.exec(job.request.prompt)?.[1] as FileSafety['action'] | undefined;
  if (!action) return result;
  const safety: FileSafety = {
    action,
    rule: 'explicit',
    scores: SCORES,
    ...(action === 'blur' ? { blurred: { bytes: BLURRED, mime: 'image/jpeg' } } : {}),
  };
  return { ...result, files: result.files.map((f) => (f.kind === 'image' ? { ...f, safety } : f)) };
}

const ids = (m: FakeMessage | undefined) =>
  ((m?.components ?? []) as { components: { custom_id: string; label: string }[] }[]).flatMap(
    (r) => r.components,
  );
const embedImage = (m: FakeMessage) => (m.embeds[0] as { image?: { url: string } } | undefined)?.image;

describe('discord: image safety decisions are presented per file', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({
      comfy: { stepDelayMs: 5 },
      screen,
      config: { discord: { messageCommands: { enabled: true } } } as never,
    });
  });
  after(() => h.close());
  const imagine = async (prompt: string, channelId = h.channelId) => {
    const handle = await h.fake.slashCommand({
      guildId: h.guildId,
      channelId,
      userId: h.alice,
      name: 'imagine',
      options: { prompt: `${prompt} --steps 2`, workflow: 'sd15-txt2img' },
    });
    await waitFor(() => (handle.original()?.embeds.length ?? 0) > 0, 15_000, 'result');
    return handle;
  };

  it('GIVEN spoiler THEN the image is attached as SPOILER_ with a note, and the embed does not show it', async () => {
    const msg = (await imagine('[spoiler] a cat')).original()!;
    assert.equal(msg.attachments.length, 1);
    assert.match(msg.attachments[0]!.filename, /^SPOILER_/);
    assert.match(msg.content, /Marked sensitive/);
    assert.equal(embedImage(msg), undefined);
    assert.deepEqual(h.fake.violations(), []);
  });

  it('GIVEN blur THEN the blurred stand-in is posted with "Show original", which gives the requester the original privately and refuses anyone else', async () => {
    const handle = await imagine('[blur] a dog');
    const msg = handle.original()!;
    assert.equal(msg.attachments.length, 1);
    assert.match(msg.attachments[0]!.filename, /^blurred_.*\.jpg$/);
    assert.deepEqual(Buffer.from(msg.attachments[0]!.bytes), BLURRED);
    assert.match(msg.content, /blurred/);
    const reveal = ids(msg).find((c) => c.label === 'Show original');
    assert.ok(reveal, JSON.stringify(msg.components));

    const other = await h.fake.clickButton({ messageId: msg.id, customId: reveal.custom_id, userId: h.bob });
    await waitFor(() => !!other.original()?.content, 10_000, 'refusal');
    assert.equal(other.original()!.flags & EPHEMERAL, EPHEMERAL);
    assert.match(other.original()!.content, /Only the person who asked/);
    assert.equal(other.original()!.attachments.length, 0);

    const own = await h.fake.clickButton({ messageId: msg.id, customId: reveal.custom_id, userId: h.alice });
    await waitFor(() => (own.original()?.attachments.length ?? 0) > 0, 10_000, 'original');
    const shown = own.original()!;
    assert.equal(shown.flags & EPHEMERAL, EPHEMERAL);
    const job = await h.app.engine.get(ids(msg)[0]!.custom_id.split(':')[2]!);
    const saved = job!.outputs!.find((o) => o.kind === 'image')!;
    const view = `${h.comfy[0]!.url}/view?filename=${saved.filename}&subfolder=${saved.subfolder ?? ''}&type=output`;
    const original = Buffer.from(await (await fetch(view)).arrayBuffer());
    assert.deepEqual(Buffer.from(shown.attachments[0]!.bytes), original);
    assert.equal(h.fake.message(msg.id)!.attachments[0]!.filename, msg.attachments[0]!.filename);
    assert.deepEqual(h.fake.violations(), []);
  });

  it('GIVEN block THEN nothing is attached, the channel reads only that an image was withheld, and the requester is told why privately', async () => {
    const handle = await imagine('[block] a bird');
    const msg = handle.original()!;
    assert.equal(msg.attachments.length, 0);
    assert.match(msg.content, /withheld/);
    assert.doesNotMatch(msg.content, /explicit/);
    await waitFor(() => handle.followups().length > 0, 10_000, 'private notice');
    const notice = handle.followups()[0]!;
    assert.equal(notice.flags & EPHEMERAL, EPHEMERAL);
    assert.match(notice.content, /judged explicit/);
    assert.deepEqual(h.fake.violations(), []);
  });

  it('GIVEN block on a "!imagine" message (no interaction to answer privately) THEN the requester gets a direct message', async () => {
    const bot = h.fake.botUser.id;
    const before = new Set(h.fake.messages(h.channelId).map((m) => m.id));
    h.fake.sendMessage({
      channelId: h.channelId,
      userId: h.alice,
      content: '!imagine [block] an owl --steps 2',
    });
    const status = () =>
      h.fake.messages(h.channelId).find((m) => m.authorId === bot && !before.has(m.id) && m.embeds.length);
    await waitFor(() => !!status(), 15_000, 'result');
    assert.equal(status()!.attachments.length, 0);
    assert.match(status()!.content, /withheld/);
    const dmPost = () =>
      h.fake
        .requests()
        .find(
          (r) =>
            r.method === 'POST' && /\/channels\/\d+\/messages$/.test(r.path) && !r.path.includes(h.channelId),
        );
    await waitFor(() => !!dmPost(), 10_000, 'direct message');
    const dmId = /\/channels\/(\d+)\//.exec(dmPost()!.path)![1]!;
    const [dm] = h.fake.messages(dmId);
    assert.match(dm!.content, /were not posted: they were judged explicit/);
    assert.equal(dm!.guildId, null);
  });

  it('GIVEN an age-restricted channel THEN its flag reaches the job target, and an ordinary channel has none', async () => {
    const lewd = await imagine('a fox', h.nsfwChannelId);
    const plain = await imagine('a fox');
    const jobOf = (m: FakeMessage) => h.app.engine.get(ids(m)[0]!.custom_id.split(':')[2]!);
    assert.equal((await jobOf(lewd.original()!))?.delivery?.adult, true);
    assert.equal((await jobOf(plain.original()!))?.delivery?.adult, undefined);
  });
});
