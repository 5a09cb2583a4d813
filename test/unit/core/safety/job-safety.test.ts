import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResultFile } from '../../../../src/core/jobs/ports.ts';
import type { DeliveryTarget, JobRecord } from '../../../../src/core/jobs/types.ts';
import {
  DEFAULT_SAFETY_SETTINGS,
  JobSafetyStage,
  jobPlace,
  type SafetyOverrides,
  scoredVerdict,
  scriptedClassifier,
} from '../../../../src/core/safety/index.ts';
import { startingClassifier } from '../../../../src/core/safety/start-safety.ts';
import { shapes } from './images.ts';

const job = (delivery: DeliveryTarget, communityId: string | null = 'g1', extra: Partial<JobRecord> = {}) =>
  ({
    id: 'j1',
    owner: { platform: delivery.platform, userId: 'u1', ...(communityId ? { communityId } : {}) },
    delivery,
    ...extra,
  }) as JobRecord;

const png = async (filename = 'a.png'): Promise<ResultFile> => ({
  node: '9',
  kind: 'image',
  filename,
  mime: 'image/png',
  bytes: await shapes(64, 64),
});

function stage(verdict = scoredVerdict({ porn: 0.9 }), overrides?: SafetyOverrides) {
  const classifier = scriptedClassifier(verdict);
  const s = new JobSafetyStage({
    settings: DEFAULT_SAFETY_SETTINGS,
    classifier,
    overrides: async () => overrides,
  });
  return { s, classifier };
}

describe('job place', () => {
  it('GIVEN a Discord job THEN the channel, the community and the NSFW flag come from its target and requester', () => {
    const { where, place } = jobPlace(job({ platform: 'discord', channelId: 'c1', adult: true }));
    assert.deepEqual(where, { platform: 'discord', communityId: 'g1', channelId: 'c1' });
    assert.deepEqual(place, { ageRestricted: true, privateChat: false, channelId: 'c1' });
  });

  it('GIVEN a DM THEN it is a private chat; GIVEN the HTTP API THEN it is not, and its tier floor applies', () => {
    assert.equal(jobPlace(job({ platform: 'telegram', chatId: 5 }, null)).place.privateChat, true);
    const http = jobPlace(job({ platform: 'http', safetyMinimum: 'block' }, null)).place;
    assert.equal(http.privateChat, false);
    assert.equal(http.minimum, 'block');
    assert.equal(jobPlace(job({ platform: 'http', safetyMinimum: 'nonsense' })).place.minimum, undefined);
  });

  it('GIVEN a Telegram forum topic THEN it is the channel', () => {
    assert.equal(jobPlace(job({ platform: 'telegram', topicId: 77 })).where.channelId, '77');
  });
});

describe('job safety stage', () => {
  it('GIVEN a DM THEN it follows the config default (blur), as a community without overrides does', async () => {
    const { s } = stage();
    const { result } = await s.screen(job({ platform: 'discord' }, null), {
      files: [await png()],
      texts: [],
    });
    assert.equal(result.files[0]!.safety?.action, 'blur');
  });

  it('GIVEN a chat an admin marked adult THEN unsafe images are posted there', async () => {
    const { s } = stage(scoredVerdict({ porn: 0.9 }), { adult: true });
    const { result } = await s.screen(job({ platform: 'telegram' }), { files: [await png()], texts: [] });
    assert.equal(result.files[0]!.safety?.action, 'allow');
  });

  it('GIVEN stored decisions that name every visual file THEN they are applied without classifying, the blur made again', async () => {
    const { s, classifier } = stage(scoredVerdict({ neutral: 1 }));
    const stored = job({ platform: 'discord' }, 'g1', {
      safety: [{ output: 0, filename: 'a.png', action: 'blur', rule: 'explicit', scores: { porn: 0.9 } }],
    });
    const files = [
      await png('a.png'),
      { node: '3', kind: 'audio' as const, filename: 'x.flac', mime: 'audio/flac', bytes: Buffer.alloc(4) },
    ];
    const out = await s.screen(stored, { files, texts: [] });
    assert.equal(classifier.calls.length, 0);
    assert.equal(out.decisions, undefined, 'nothing new to store');
    assert.equal(out.result.files[0]!.safety?.action, 'blur');
    assert.equal(out.result.files[0]!.safety?.blurred?.mime, 'image/jpeg');
    assert.equal(out.result.files[1]!.safety, undefined, 'audio is not screened');
  });

  it('GIVEN stored decisions for other files THEN the result is screened afresh and new decisions returned', async () => {
    const { s, classifier } = stage(scoredVerdict({ neutral: 1 }));
    const stored = job({ platform: 'discord' }, 'g1', {
      safety: [{ output: 0, filename: 'old.png', action: 'block', rule: 'explicit' }],
    });
    const out = await s.screen(stored, { files: [await png('new.png')], texts: [] });
    assert.equal(classifier.calls.length, 1);
    assert.deepEqual(
      out.decisions?.map((d) => [d.filename, d.action]),
      [['new.png', 'allow']],
    );
  });

  it('GIVEN the operator command line THEN nothing is classified', async () => {
    const { s, classifier } = stage();
    const out = await s.screen(job({ platform: 'cli' }, null), { files: [await png()], texts: [] });
    assert.equal(classifier.calls.length, 0);
    assert.equal(out.result.files[0]!.safety, undefined);
  });

  it('GIVEN a place THEN the preview mode is unknown until its policy is read, then follows the policy', async () => {
    const { s } = stage(undefined, { channels: { c1: 'block', c2: 'allow' } });
    const blocked = job({ platform: 'discord', channelId: 'c1' }, 'g1', { id: 'p1' });
    const allowed = job({ platform: 'discord', channelId: 'c2' }, 'g1', { id: 'p2' });
    const blurred = job({ platform: 'discord', channelId: 'c3' }, 'g1', { id: 'p3' });
    assert.equal(s.previewMode(blocked), undefined);
    s.previewMode(allowed);
    s.previewMode(blurred);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(
      [s.previewMode(blocked), s.previewMode(allowed), s.previewMode(blurred)],
      ['off', 'allowed', 'blurred'],
    );
  });
});

describe('starting classifier', () => {
  it('GIVEN the model failed to load THEN every verdict is unknown (unavailable) with the reason', async () => {
    const c = startingClassifier(async () => ({ ok: false, error: 'no wasm' }) as const);
    assert.deepEqual(await c.classify(new Uint8Array(4), 'image/png'), {
      kind: 'unknown',
      reason: 'unavailable',
      detail: 'no wasm',
    });
    await c.close();
  });

  it('GIVEN a lazy start THEN the model is loaded at the first image only, once; after close nothing loads', async () => {
    let starts = 0;
    const c = startingClassifier(async () => {
      starts++;
      return { ok: true, value: scriptedClassifier({ neutral: 1 }) } as const;
    }, false);
    assert.equal(starts, 0);
    await Promise.all([
      c.classify(new Uint8Array(4), 'image/png'),
      c.classify(new Uint8Array(4), 'image/png'),
    ]);
    assert.equal(starts, 1);
    await c.close();
    const never = startingClassifier(async () => {
      starts++;
      return { ok: false, error: 'x' } as const;
    }, false);
    await never.close();
    assert.equal((await never.classify(new Uint8Array(4), 'image/png')).kind, 'unknown');
    assert.equal(starts, 1);
  });
});
