import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { App } from '../../../src/core/app.ts';
import { CommunityPolicies } from '../../../src/core/chat/community-policy.ts';
import type { DeliveryTarget } from '../../../src/core/jobs/types.ts';
import { type SafetyClassifier, scriptedClassifier } from '../../../src/core/safety/classifier.ts';
import type { SafetyOverrides } from '../../../src/core/safety/place-safety.ts';
import { scoredVerdict } from '../../../src/core/safety/scores.ts';
import { type FakeComfy, startFakeComfy } from '../../fakes/comfy/index.ts';
import {
  RecordingFrontEnd,
  requester,
  SD15_MODELS,
  settled,
  testApp,
  testConfig,
  waitFor,
} from '../../helpers/app.ts';
import { type OneGpuRelay, startOneGpuRelay } from '../../helpers/one-gpu-relay.ts';

const apps: App[] = [];
const fakes: FakeComfy[] = [];
const cleanups: (() => void)[] = [];

const relays: OneGpuRelay[] = [];

async function relay(
  classifier: SafetyClassifier | undefined,
  config: Record<string, unknown> = {},
): Promise<OneGpuRelay> {
  const r = await startOneGpuRelay({
    stepDelayMs: 5,
    config,
    app: { safetyClassifier: classifier },
    platform: 'discord',
  });
  relays.push(r);
  return r;
}

/** A job in guild g1, channel c1 (`adult`: the channel is marked NSFW by Discord). */
async function imagine(app: App, target: Partial<DeliveryTarget> = {}, steps = 4) {
  const submitted = await app.engine.submit({
    requester: requester('alice', { platform: 'discord', communityId: 'g1' }),
    request: { template: 'sd15-txt2img', prompt: 'a lighthouse', values: { steps } },
    delivery: { platform: 'discord', channelId: 'c1', ...target },
  });
  assert.ok(submitted.ok, JSON.stringify(submitted));
  return settled(app, submitted.value.id);
}

const setOverrides = (app: App, safety: SafetyOverrides) =>
  new CommunityPolicies(app.storage.communities).update('discord', 'g1', (p) => {
    p.safety = safety;
  });

const explicit = () => scriptedClassifier({ porn: 0.9 });

describe('image safety in delivery', () => {
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.close()));
    await Promise.all(apps.splice(0).map((a) => a.close(1000)));
    await Promise.all(fakes.splice(0).map((f) => f.close()));
    for (const c of cleanups.splice(0)) c();
  });

  it('GIVEN an image classified explicit in an ordinary channel THEN a blurred stand-in is delivered, the decision stored and audited', async () => {
    const { app, fe } = await relay(explicit());
    const job = await imagine(app);
    assert.equal(job.state, 'succeeded');
    const file = fe.deliveries[0]!.result.files[0]!;
    assert.equal(file.safety?.action, 'blur');
    assert.equal(file.safety?.rule, 'explicit');
    assert.equal(file.safety?.blurred?.mime, 'image/jpeg');
    assert.notDeepEqual(file.safety?.blurred?.bytes, file.bytes);
    assert.ok((file.safety?.scores?.porn ?? 0) >= 0.9);
    assert.deepEqual(
      job.safety?.map((d) => [d.output, d.action, d.rule]),
      [[0, 'blur', 'explicit']],
    );
    const audit = await app.storage.listAudit(20);
    const entry = audit.find((e) => e.action === 'safety.blur');
    assert.equal(entry?.target, `${job.id}#0`);
    assert.equal(
      (entry?.details as { place?: { communityId?: string } } | undefined)?.place?.communityId,
      'g1',
    );
  });

  it('GIVEN the same image in an age-restricted channel THEN it is posted as is', async () => {
    const { app, fe } = await relay(explicit());
    await imagine(app, { adult: true });
    const file = fe.deliveries[0]!.result.files[0]!;
    assert.equal(file.safety?.action, 'allow');
    assert.equal(file.safety?.rule, 'explicit');
    assert.equal(file.safety?.blurred, undefined);
  });

  it('GIVEN community and channel policies THEN the channel wins over the community, which wins over the config', async () => {
    const { app, fe } = await relay(explicit(), { safety: { action: 'spoiler' } });
    await imagine(app, { channelId: 'c9' });
    await setOverrides(app, { action: 'block', channels: { c2: 'spoiler' } });
    await imagine(app, { channelId: 'c1' });
    await imagine(app, { channelId: 'c2' });
    assert.deepEqual(
      fe.deliveries.map((d) => d.result.files[0]!.safety?.action),
      ['spoiler', 'block', 'spoiler'],
    );
  });

  it('GIVEN the classifier fails THEN the unknown rule applies: unsafe in an ordinary channel, posted in an adult one', async () => {
    const failing = scriptedClassifier(() => {
      throw new Error('worker crashed');
    });
    const { app, fe } = await relay(failing);
    await imagine(app);
    await imagine(app, { adult: true });
    const [ordinary, adult] = fe.deliveries.map((d) => d.result.files[0]!.safety);
    assert.equal(ordinary?.rule, 'unknown');
    assert.equal(ordinary?.action, 'blur');
    assert.equal(ordinary?.scores, undefined);
    assert.equal(adult?.action, 'allow');
  });

  it('GIVEN a delivery that fails once THEN the second one presents the stored decision without classifying again', async () => {
    let calls = 0;
    // Were it asked again, the classifier would now say the image is fine.
    const changing = scriptedClassifier(() => scoredVerdict(calls++ === 0 ? { porn: 0.95 } : { neutral: 1 }));
    const { app, fe } = await relay(changing);
    fe.failDeliveries = 1;
    const job = await imagine(app);
    assert.equal(job.state, 'succeeded');
    assert.equal(calls, 1);
    assert.equal(fe.deliveries[0]!.result.files[0]!.safety?.action, 'blur');
    assert.ok(fe.deliveries[0]!.result.files[0]!.safety?.blurred);
    const audit = await app.storage.listAudit(20);
    assert.equal(audit.filter((e) => e.action.startsWith('safety.')).length, 1, 'one decision, audited once');
  });

  it('GIVEN a process that stopped mid-delivery THEN the next one delivers the stored decision without classifying again', async () => {
    const comfy = await startFakeComfy({ models: SD15_MODELS, stepDelayMs: 5 });
    fakes.push(comfy);
    const c = testConfig({ backends: [{ name: 'gpu1', url: comfy.url }] });
    cleanups.push(c.cleanup);
    const first = await testApp(c, { safetyClassifier: explicit() });
    let delivering!: () => void;
    const reached = new Promise<void>((r) => {
      delivering = r;
    });
    // The first process's front end never finishes posting: the process stops during delivery.
    first.engine.registerFrontEnd({
      platform: 'discord',
      update() {},
      deliver: () => {
        delivering();
        return new Promise(() => {});
      },
    });
    await first.engine.start();
    const submitted = await first.engine.submit({
      requester: requester('alice', { platform: 'discord', communityId: 'g1' }),
      request: { template: 'sd15-txt2img', prompt: 'a lighthouse', values: { steps: 2 } },
      delivery: { platform: 'discord', channelId: 'c1' },
    });
    assert.ok(submitted.ok);
    await reached;
    await first.close(100);
    // Were it asked, the second process's classifier would find the image fine.
    const neutral = scriptedClassifier({ neutral: 1 });
    const second = await testApp(c, { safetyClassifier: neutral });
    apps.push(second);
    const fe = new RecordingFrontEnd('discord');
    second.engine.registerFrontEnd(fe);
    await second.engine.start();
    const job = await settled(second, submitted.value.id);
    assert.equal(job.state, 'succeeded');
    assert.equal(neutral.calls.length, 0);
    assert.equal(fe.deliveries[0]!.result.files[0]!.safety?.action, 'blur');
    assert.ok(fe.deliveries[0]!.result.files[0]!.safety?.blurred);
  });

  it('GIVEN the place blocks unsafe images THEN no preview is shown; where it blurs them, previews are blurred; where it allows, they are shown', async () => {
    const { app, fe, comfy } = await relay(scriptedClassifier({ neutral: 1 }));
    comfy.setStepDelay(20);
    const previewsOf = async (target: Partial<DeliveryTarget>) => {
      const job = await imagine(app, target, 8);
      await waitFor(() => fe.finalOf(job.id)?.job.state === 'succeeded', 5000, 'final update');
      return fe.updates.filter((u) => u.job.id === job.id && u.preview).map((u) => u.preview!);
    };
    const adult = await previewsOf({ adult: true });
    assert.ok(adult.length > 0, 'previews shown in an adult channel');
    const raw = Buffer.from(adult[0]!.data).toString('hex');
    const blurred = await previewsOf({});
    assert.ok(blurred.length > 0, 'blurred previews shown under the default blur policy');
    assert.ok(blurred.every((p) => Buffer.from(p.data).toString('hex') !== raw));
    await setOverrides(app, { action: 'block' });
    assert.deepEqual(await previewsOf({ channelId: 'c3' }), []);
  });
});
