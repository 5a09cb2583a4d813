import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JobResult } from '../../../../src/core/jobs/ports.ts';
import { DEFAULT_THRESHOLDS, type PlaceSafety } from '../../../../src/core/safety/policy.ts';
import { shownAt } from '../../../../src/core/safety/shown-at.ts';
import { solid } from './images.ts';

const policy = (p: Partial<PlaceSafety>): PlaceSafety => ({
  enabled: true,
  action: 'blur',
  unknown: 'unsafe',
  thresholds: DEFAULT_THRESHOLDS,
  adult: false,
  ...p,
});
const admin = (p: PlaceSafety) => ({ inForce: async () => ({ policy: p }) });
const place = { platform: 'telegram', communityId: '-100' };
const explicit = { drawing: 0, hentai: 0, neutral: 0.1, porn: 0.9, sexy: 0 };

async function result(action: 'allow' | 'blur', scores?: Record<string, number>): Promise<JobResult> {
  const bytes = await solid(64, 64, { r: 90, g: 120, b: 200 });
  const rule = scores ? 'explicit' : 'unknown';
  return {
    files: [
      {
        node: '9',
        kind: 'image',
        filename: 'a.png',
        mime: 'image/png',
        bytes,
        safety: { action, rule, ...(scores ? { scores } : {}) },
      },
    ],
    texts: [],
  };
}

describe('a result shown again somewhere else is decided by that place, from the stored scores', () => {
  it('GIVEN an explicit image allowed in an adult place WHEN shown in an ordinary one THEN it is blurred', async () => {
    const shown = await shownAt(admin(policy({})), place, await result('allow', explicit));
    const f = shown.files[0]!;
    assert.equal(f.safety?.action, 'blur');
    assert.equal(f.safety?.rule, 'explicit');
    assert.equal(f.safety?.blurred?.mime, 'image/jpeg');
  });

  it('GIVEN an image blurred elsewhere WHEN shown in an adult place THEN it is posted plainly', async () => {
    const shown = await shownAt(
      admin(policy({ adult: true, action: 'allow' })),
      place,
      await result('blur', explicit),
    );
    assert.equal(shown.files[0]!.safety?.action, 'allow');
    assert.equal(shown.files[0]!.safety?.blurred, undefined);
  });

  it('GIVEN an image the classifier failed on WHEN shown where unknown counts as unsafe THEN it follows the unknown rule', async () => {
    const shown = await shownAt(admin(policy({ action: 'spoiler' })), place, await result('allow'));
    assert.deepEqual(
      { action: shown.files[0]!.safety?.action, rule: shown.files[0]!.safety?.rule },
      { action: 'spoiler', rule: 'unknown' },
    );
  });

  it('GIVEN a result without decisions THEN it is returned as it is', async () => {
    const plain = await result('allow', explicit);
    delete plain.files[0]!.safety;
    assert.equal(await shownAt(admin(policy({})), place, plain), plain);
  });
});
