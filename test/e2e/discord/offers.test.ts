import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeAction } from '../../../src/core/chat/actions.ts';
import type { FakeMessage } from '../../fakes/discord/fake-discord.ts';
import { waitFor } from '../../helpers/app.ts';
import { type Harness, noUnhandledRejections, startHarness } from './harness.ts';

noUnhandledRejections();

const EPHEMERAL = 64;
const buttons = (m: FakeMessage | undefined) =>
  ((m?.components ?? []) as { components: { custom_id: string; label: string }[] }[]).flatMap(
    (r) => r.components,
  );
/** Node numbers, node classes and file names: what only an operator should read. */
const OPERATOR_WORDS = /Node \d|UpscaleModelLoader|CheckpointLoader|\.pth|\.safetensors|sdxl_base/;

describe('discord: only what can work is offered; refusals are for people', () => {
  let h: Harness;
  before(async () => {
    // Two GPUs with an SD 1.5 checkpoint, only the first with an upscale model: no SDXL, no FLUX here,
    // and no upscale once the first is gone.
    h = await startHarness({
      comfyEach: [{}, { models: { checkpoints: ['v1-5-pruned-emaonly.safetensors'] } }],
      config: { discord: { mentionAfterSeconds: 0.01 } },
    });
  });
  after(() => h.close());
  const command = (name: string, options: Record<string, unknown> = {}, userId = h.alice) =>
    h.fake.slashCommand({
      guildId: h.guildId,
      channelId: h.channelId,
      userId,
      name,
      options: options as never,
    });
  const publicText = () =>
    h.fake
      .messages(h.channelId)
      .filter((m) => !(m.flags & EPHEMERAL))
      .flatMap((m) => m.history.map((r) => `${r.content} ${JSON.stringify(r.embeds)}`))
      .join('\n');

  let early: FakeMessage | undefined;

  it('GIVEN a result while an upscaler is up THEN it has U and V buttons, and a long job mentions its owner', async () => {
    const job = await command('imagine', { prompt: 'a lighthouse --steps 2', workflow: 'sd15-txt2img' });
    await waitFor(() => (job.original()?.embeds.length ?? 0) > 0, 15_000, 'result');
    early = job.original();
    const labels = buttons(early).map((b) => b.label);
    assert.ok(labels.includes('U1') && labels.includes('V1'), labels.join());
    await waitFor(
      () => h.fake.messages(h.channelId).some((m) => m.content.startsWith(`<@${h.alice}>`)),
      5000,
      'mention of the owner',
    );
    const mention = h.fake.messages(h.channelId).find((m) => m.content.startsWith(`<@${h.alice}>`))!;
    assert.notEqual(mention.id, early!.id, 'a new message: an edit notifies no one');
    assert.match(mention.content, /your job is done \(it took \d+ s\): https:\/\/discord\.com\/channels\//);
    assert.match(mention.content, new RegExp(`${h.guildId}/${h.channelId}/${early!.id}$`));
  });

  it('GIVEN the upscaler gone WHEN its old U button is pressed THEN only the presser reads "can’t do upscales", in plain words', async () => {
    await h.comfy[0]!.close();
    await waitFor(() => !h.app.pool.backends[0]!.healthy, 5000, 'gpu1 seen down');
    const u1 = buttons(early).find((b) => b.label === 'U1')!;
    const press = await h.fake.clickButton({ messageId: early!.id, customId: u1.custom_id, userId: h.alice });
    await waitFor(() => press.followups().length > 0, 5000, 'refusal');
    const refusal = press.followups().find((m) => !m.deleted)!;
    assert.equal(refusal.flags & EPHEMERAL, EPHEMERAL);
    assert.equal(refusal.content, 'This server can’t do upscales right now.');
    assert.ok(!press.followups().some((m) => !m.deleted && !(m.flags & EPHEMERAL)), 'no public ⏳ left');
    assert.doesNotMatch(publicText(), OPERATOR_WORDS);
  });

  it('GIVEN no upscaler THEN new results have V buttons but no U buttons, and V1 makes a labelled variation', async () => {
    const job = await command('imagine', { prompt: 'a harbour --steps 2', workflow: 'sd15-txt2img' });
    await waitFor(() => (job.original()?.embeds.length ?? 0) > 0, 15_000, 'result');
    const actions = buttons(job.original()).map((b) => decodeAction(b.custom_id)?.action);
    assert.ok(actions.includes('variation'), actions.join());
    assert.ok(!actions.includes('upscale'), 'no upscale button without an upscaler');

    const v1 = buttons(job.original()).find((b) => b.label === 'V1')!;
    const press = await h.fake.clickButton({
      messageId: job.original()!.id,
      customId: v1.custom_id,
      userId: h.alice,
    });
    await waitFor(() => (press.followups()[0]?.embeds.length ?? 0) > 0, 15_000, 'variation result');
    const embed = press.followups()[0]!.embeds[0] as { title?: string };
    assert.match(embed.title ?? '', new RegExp(`^Variation 1 of job ${decodeAction(v1.custom_id)!.jobId}$`));
  });

  it('GIVEN a workflow whose model is missing WHEN named THEN the person is told it cannot run here, the operator gets the detail', async () => {
    const r = await command('imagine', { prompt: 'a castle', workflow: 'sdxl-txt2img' });
    await waitFor(() => r.followups().length > 0, 5000, 'refusal');
    const refusal = r.followups()[0]!;
    assert.equal(refusal.flags & EPHEMERAL, EPHEMERAL);
    assert.match(refusal.content, /can’t run on this server right now|That model isn’t available here/);
    assert.doesNotMatch(refusal.content, /Node \d|CheckpointLoader/);
    const metric = await h.app.metrics.registry.getSingleMetricAsString('comfyrelay_operator_refusals_total');
    assert.match(metric, /code="workflows\.check\.(bad_choice|no_choices_installed)"} [1-9]/);
  });

  it('GIVEN lists and menus THEN they hold only names of workflows a healthy backend can run, /help the default one', async () => {
    const list = await command('workflows');
    await waitFor(() => !!list.original()?.content, 5000, '/workflows');
    const names = list
      .original()!
      .content.split('\n')
      .map((l) => l.split(':')[0]);
    assert.deepEqual(names.sort(), ['sd15-img2img', 'sd15-txt2img']);
    const choices = (await h.fake.autocomplete({
      guildId: h.guildId,
      channelId: h.channelId,
      userId: h.alice,
      name: 'imagine',
      options: { prompt: 'x', workflow: '' },
      focused: 'workflow',
    })) as { value: string }[];
    assert.deepEqual(choices.map((c) => c.value).sort(), ['sd15-img2img', 'sd15-txt2img']);
    const settings = (await h.fake.autocomplete({
      guildId: h.guildId,
      channelId: h.channelId,
      userId: h.alice,
      name: 'settings',
      options: { workflow: '' },
      focused: 'workflow',
    })) as { value: string }[];
    assert.deepEqual(settings.map((c) => c.value).sort(), ['default', 'sd15-img2img', 'sd15-txt2img']);
    const help = await command('help');
    await waitFor(() => !!help.original()?.content, 5000, '/help');
    assert.match(help.original()!.content, /Flags \(sd15-txt2img\): /);
    const bad = await command('imagine', { prompt: 'x --workflow nope' });
    await waitFor(() => bad.followups().length > 0, 5000, 'unknown workflow');
    assert.match(bad.followups()[0]!.content, /Available: sd15-img2img, sd15-txt2img$/);
  });

  it('GIVEN the model option of /imagine THEN autocomplete offers the installed checkpoints, narrowed by what is typed', async () => {
    const complete = async (name: string, typed: string) =>
      (await h.fake.autocomplete({
        guildId: h.guildId,
        channelId: h.channelId,
        userId: h.alice,
        name,
        options: name === 'imagine' ? { prompt: 'x', model: typed } : { model: typed },
        focused: 'model',
      })) as { value: string }[];
    const all = (await complete('imagine', '')).map((c) => c.value);
    assert.ok(all.includes('v1-5-pruned-emaonly.safetensors'), `got ${all.join(', ')}`);
    assert.deepEqual(
      (await complete('settings', '')).map((c) => c.value),
      all,
    );
    assert.deepEqual(await complete('imagine', 'no-such-model-zzz'), []);
    const imagine = h.fake.registeredCommands().find((c) => c['name'] === 'imagine') as {
      options: { name: string; autocomplete?: boolean }[];
    };
    assert.equal(imagine.options.find((o) => o.name === 'model')?.autocomplete, true);
  });

  it('GIVEN the registered /imagine THEN its prompt takes no more than the grammar accepts', () => {
    const imagine = h.fake.registeredCommands().find((c) => c['name'] === 'imagine') as {
      options: { name: string; max_length?: number }[];
    };
    assert.equal(imagine.options.find((o) => o.name === 'prompt')?.max_length, 2000);
  });
});
