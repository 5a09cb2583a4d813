import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeAction } from '../../../src/core/chat/actions.ts';
import type { FakeMessage } from '../../fakes/discord/fake-discord.ts';
import { waitFor } from '../../helpers/app.ts';
import { type Harness, noUnhandledRejections, startHarness } from './harness.ts';

noUnhandledRejections();

const said = (m: FakeMessage | undefined) => (m?.history ?? []).map((r) => r.content);
const jobIdOf = (m: FakeMessage | undefined) =>
  ((m?.components ?? []) as { components: { custom_id: string }[] }[])
    .flatMap((r) => r.components.map((c) => decodeAction(c.custom_id)?.jobId))
    .find(Boolean) ?? '';

describe('discord: a wait that stays true', () => {
  let h: Harness;
  before(async () => {
    // One GPU that takes a job at a time plus one in its own queue: the rest wait in line here.
    // The clock runs 10× real time: Discord's 1.5 s status pacing takes 150 ms.
    h = await startHarness({ speed: 10 });
  });
  after(() => h.close());
  const imagine = (userId: string, prompt: string, steps = 12) =>
    h.fake.slashCommand({
      guildId: h.guildId,
      channelId: h.channelId,
      userId,
      name: 'imagine',
      options: { prompt: `${prompt} --steps ${steps}`, workflow: 'sd15-txt2img' },
    });

  it('GIVEN four jobs of three people THEN places and ETAs are refreshed as the queue moves, and notes and "Starting" are true', async () => {
    const comfy = h.comfy[0]!;
    const shows = (m: () => FakeMessage | undefined, what: RegExp, label: string) =>
      waitFor(() => what.test(m()?.content ?? ''), 5000, label);
    comfy.stall(true);
    const one = await imagine(h.alice, 'one');
    await shows(() => one.original(), /Starting|%/, 'one runs (held by the GPU)');
    // Longer than Discord's edit interval: four's status has time to show it moved up while two runs.
    const two = await imagine(h.bob, 'two', 36);
    await shows(() => two.original(), /GPU/, 'two sent to ComfyUI, behind one');
    const three = await imagine(h.li, 'three');
    await shows(() => three.original(), /第 1 位/, 'three waits first in line');
    const four = await imagine(h.alice, 'four');
    await shows(() => four.original(), /#2/, 'four waits second');
    assert.match(four.original()!.content, /estimating the wait/, 'no guess before a run was measured');
    assert.match(four.original()!.content, /Your other job is running/);

    const queue = await h.fake.slashCommand({
      guildId: h.guildId,
      channelId: h.channelId,
      userId: h.alice,
      name: 'queue',
    });
    await shows(() => queue.original(), /In all/, '/queue answer');
    const lines = queue.original()!.content.split('\n');
    assert.match(lines[0]!, /Your jobs/);
    assert.ok(
      lines.some((l) => /“one”: (Generating|Waiting for the GPU)/.test(l)),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((l) => /“four”: #2 in line, estimating/.test(l)),
      lines.join('\n'),
    );
    assert.match(lines.at(-1)!, /In all: 2 waiting, 2 running on 1 server/);
    // One ends and two starts: hold two on the GPU until four's status shows it moved up, with a guess.
    const oneOnGpu = comfy.queueIds().running;
    assert.ok(oneOnGpu, 'one is on the GPU');
    comfy.stall(false);
    await waitFor(() => ![oneOnGpu, null].includes(comfy.queueIds().running), 10_000, 'two runs');
    comfy.stall(true);
    await shows(() => four.original(), /#1, about \d+ s to go/, 'four moved up, with an ETA');
    comfy.stall(false);
    await waitFor(() => (four.original()?.embeds.length ?? 0) > 0, 20_000, 'four done');
    const fourSaid = said(four.original());
    const second = fourSaid.findIndex((c) => /#2,/.test(c));
    const first = fourSaid.findIndex((c) => /#1, about \d+ s to go/.test(c));
    assert.ok(second >= 0 && first > second, `refreshed from #2 to #1 with an ETA: ${fourSaid.join(' | ')}`);

    assert.ok(!said(one.original()).some((c) => /running;/.test(c)), 'no note on a first job');
    assert.ok(
      !said(three.original()).some((c) => /运行/.test(c)),
      'no note for someone with nothing running',
    );
    // Two was sent to ComfyUI while one ran there: waiting on the server, "Starting" only once it started.
    const twoSaid = said(two.original());
    const onServer = twoSaid.findIndex((c) => /Waiting on the GPU server, 1 ahead|Sent to the GPU/.test(c));
    const starting = twoSaid.findIndex((c) => /Starting…|%/.test(c));
    assert.ok(onServer >= 0 && (starting === -1 || starting > onServer), twoSaid.join(' | '));
    await waitFor(() => (three.original()?.embeds.length ?? 0) > 0, 20_000, 'three done');
    assert.deepEqual(h.fake.violations(), []);
  });

  it('GIVEN a canceled job THEN its status says "Canceled" once', async () => {
    // 4 s of steps to cancel in, each short so that ComfyUI stops soon after the interrupt.
    h.comfy[0]!.setStepDelay(80);
    const slow = await imagine(h.bob, 'slow', 50);
    await waitFor(() => jobIdOf(slow.original()) !== '', 5000, 'status with Cancel');
    await h.fake.clickButton({
      messageId: slow.original()!.id,
      customId: `cr:c:${jobIdOf(slow.original())}`,
      userId: h.bob,
    });
    await waitFor(() => /Canceled/.test(slow.original()?.content ?? ''), 10_000, 'canceled');
    h.comfy[0]!.setStepDelay(5);
    assert.equal(slow.original()!.content.split('\n').at(-1), 'Canceled');
  });
});
