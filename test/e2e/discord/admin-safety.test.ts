import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { COMMANDS } from '../../../commands/index.ts';
import { slashCommands } from '../../../src/adapters/discord/register.ts';
import type { ConfigInput } from '../../../src/config/index.ts';
import { outputLinks } from '../../../src/core/jobs/output-links.ts';
import { scriptedClassifier } from '../../../src/core/safety/classifier.ts';
import type { FakeMessage } from '../../fakes/discord/fake-discord.ts';
import { waitFor } from '../../helpers/app.ts';
import { imagineResult } from './imagine-result.ts';
import { type Harness, noUnhandledRejections, startHarness } from './harness.ts';

noUnhandledRejections();

const EPHEMERAL = 64;
const MANAGE_GUILD = String(1n << 5n);
type Option = { name: string; choices?: { value: string }[] };

const jobIdOf = (m: FakeMessage) => /"cr:r:([0-9a-z]{10})"/.exec(JSON.stringify(m.components))![1]!;

describe('discord: /admin safety end to end (every image judged explicit, ordinary channels spoiler by default)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({
      comfy: { stepDelayMs: 5 },
      config: { safety: { action: 'spoiler' } } as ConfigInput,
      app: { safetyClassifier: scriptedClassifier({ porn: 0.95, neutral: 0.05 }) },
      links: outputLinks({
        baseUrl: 'https://relay.example',
        secret: new Uint8Array(32).fill(7),
        ttlMs: 3600_000,
        retentionMs: 24 * 3600_000,
        now: () => Date.now(),
      }),
    });
  });
  after(() => h.close());

  const admin = async (userId: string, target: string, value = '', channelId = h.channelId) => {
    const handle = await h.fake.slashCommand({
      guildId: h.guildId,
      channelId,
      userId,
      name: 'admin',
      options: { action: 'safety', target, ...(value ? { value } : {}) },
    });
    await waitFor(() => !!handle.original()?.content, 10_000, `/admin safety ${target}`);
    const reply = handle.original()!;
    assert.equal(reply.flags & EPHEMERAL, EPHEMERAL, 'admin replies are ephemeral');
    return reply;
  };
  const imagine = (channelId = h.channelId) =>
    imagineResult(h, { prompt: 'a harbour --steps 2', workflow: 'sd15-txt2img' }, channelId);
  const policyAudits = async () =>
    (await h.app.storage.listAudit(100)).filter((e) => e.action === 'safety.policy');

  it('GIVEN the command specs THEN /admin is registered with its safety options and needs Manage Server', () => {
    const registered = h.fake.registeredCommands().find((c) => c.name === 'admin') as
      | { options: Option[]; default_member_permissions?: string }
      | undefined;
    const json = slashCommands(COMMANDS).find((c) => c.name === 'admin') as {
      options: Option[];
      default_member_permissions: string;
    };
    for (const spec of [json, registered]) {
      assert.ok(spec, 'admin registered');
      assert.equal(spec.default_member_permissions, MANAGE_GUILD);
      assert.deepEqual(
        spec.options.map((o) => o.name),
        ['action', 'target', 'value'],
      );
      assert.ok(spec.options[0]!.choices!.some((c) => c.value === 'safety'));
    }
  });

  it('GIVEN a member without Manage Server THEN /admin safety is refused and nothing changes', async () => {
    const reply = await admin(h.alice, 'channel', 'allow');
    assert.match(reply.content, /for server admins only/);
    assert.equal((await h.chat.policies.get('discord', h.guildId)).safety, undefined);
    assert.deepEqual(await policyAudits(), []);
  });

  it('GIVEN an admin sets "channel blur" THEN it is audited and the next unsafe image there is blurred', async () => {
    const before = await imagine();
    assert.match(before.attachments[0]!.filename, /^SPOILER_/, 'the default before the change');

    const reply = await admin(h.admin, 'channel', 'blur');
    assert.match(reply.content, /Image safety changed: channel blur/);
    const [audit] = await policyAudits();
    assert.ok(audit, 'the change is audited');
    assert.equal(audit.target, `discord:${h.guildId}/${h.channelId}`);
    assert.equal(audit.actor, `discord:${h.admin}`);
    assert.deepEqual((audit.details as { after: unknown }).after, { channels: { [h.channelId]: 'blur' } });

    const msg = await imagine();
    assert.equal(msg.attachments.length, 1);
    assert.match(msg.attachments[0]!.filename, /^blurred_/);
    assert.equal(msg.attachments[0]!.contentType, 'image/jpeg');
    assert.deepEqual(h.fake.violations(), []);
  });

  it('GIVEN the blur THEN "review" lists it and "original" gives the admin the original privately, audited', async () => {
    const msg = await imagine();
    const jobId = jobIdOf(msg);
    const review = await admin(h.admin, 'review');
    assert.match(review.content, new RegExp(`job ${jobId} #0 · blur \\(explicit\\) · #${h.channelId}`));

    const reply = await admin(h.admin, 'original', `${jobId}#0`);
    assert.match(reply.content, new RegExp(`original of job ${jobId} #0 \\(blur, explicit\\)`));
    assert.equal(reply.attachments.length, 1);
    const job = (await h.app.engine.get(jobId))!;
    const saved = job.outputs!.find((o) => o.kind === 'image')!;
    const view = `${h.comfy[0]!.url}/view?filename=${saved.filename}&subfolder=${saved.subfolder ?? ''}&type=output`;
    const original = Buffer.from(await (await fetch(view)).arrayBuffer());
    assert.deepEqual(Buffer.from(reply.attachments[0]!.bytes), original);
    // Nothing of it reaches the channel: its public messages still show only the stand-in.
    const publicFiles = h.fake
      .messages(h.channelId)
      .filter((m) => !(m.flags & EPHEMERAL))
      .flatMap((m) => m.attachments.map((a) => Buffer.from(a.bytes)));
    assert.ok(!publicFiles.some((b) => b.equals(original)), 'the original is not public');
    const seen = (await h.app.storage.listAudit(100)).find((e) => e.action === 'safety.original');
    assert.equal(seen?.target, `${jobId}#0`);
    assert.equal(seen?.actor, `discord:${h.admin}`);
  });

  it('GIVEN an original over the upload limit THEN a link when one may be made, else a note with its size', async () => {
    const blurred = jobIdOf(await imagine());
    const allowed = jobIdOf(await imagine(h.nsfwChannelId));
    h.fake.setAttachmentSizeLimit(8);
    try {
      const noLink = await admin(h.admin, 'original', `${blurred}#0`);
      assert.equal(noLink.attachments.length, 0);
      assert.match(noLink.content, /\(\d+(\.\d)? KB\) is larger than the 1 KB Discord accepts here/);
      assert.doesNotMatch(noLink.content, /https:\/\//, 'no link to a blurred original');
      const link = await admin(h.admin, 'original', `${allowed}#0`);
      assert.equal(link.attachments.length, 0);
      assert.match(link.content, new RegExp(`https://relay\\.example/files/${allowed}/0\\?`));
    } finally {
      h.fake.setAttachmentSizeLimit(10 * 1024 * 1024);
    }
  });

  it('GIVEN "original" from a non-admin, or of a job from elsewhere THEN it is refused without a file', async () => {
    const jobId = jobIdOf(await imagine());
    const denied = await admin(h.bob, 'original', `${jobId}#0`);
    assert.equal(denied.attachments.length, 0);
    assert.match(denied.content, /for server admins only/);
    const unknown = await admin(h.admin, 'original', '0123456789#0');
    assert.equal(unknown.attachments.length, 0);
    assert.match(unknown.content, /does not exist/);
  });
});
