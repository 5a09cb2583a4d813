import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  defaultWorkers,
  SAFETY_CLASSES,
  type SafetyClassifier,
  scoredVerdict,
  scriptedClassifier,
  withDeadline,
  worstOf,
} from '../../../../src/core/safety/index.ts';
import { sampleFrames } from '../../../../src/core/safety/frames.ts';

const never: SafetyClassifier = { classify: () => new Promise(() => {}), close: async () => {} };

describe('withDeadline', () => {
  it('GIVEN a classifier that never answers THEN unknown (timeout)', async () => {
    const v = await withDeadline(never, 20).classify(new Uint8Array(4), 'image/png');
    assert.deepEqual(v, { kind: 'unknown', reason: 'timeout' });
  });

  it('GIVEN a classifier that throws THEN unknown (failed) with the message', async () => {
    const throwing: SafetyClassifier = {
      classify: () => Promise.reject(new Error('wasm trap')),
      close: async () => {},
    };
    const v = await withDeadline(throwing, 1000).classify(new Uint8Array(4), 'image/png');
    assert.deepEqual(v, { kind: 'unknown', reason: 'failed', detail: 'wasm trap' });
  });

  it('GIVEN a classifier that answers THEN its answer', async () => {
    const v = await withDeadline(scriptedClassifier({ porn: 0.9 }), 1000).classify(
      new Uint8Array(4),
      'image/png',
    );
    assert.equal(v.kind === 'scored' && v.scores.porn, 0.9);
  });
});

describe('scriptedClassifier (the seam for unsafe cases)', () => {
  it('GIVEN partial scores THEN the other classes share the rest and the vector sums to 1', async () => {
    const v = await scriptedClassifier({ porn: 0.7, hentai: 0.1 }).classify(new Uint8Array(1), 'image/png');
    assert.equal(v.kind, 'scored');
    if (v.kind !== 'scored') return;
    assert.deepEqual(Object.keys(v.scores), [...SAFETY_CLASSES]);
    assert.ok(Math.abs(v.scores.neutral - 0.2 / 3) < 1e-9);
    assert.ok(Math.abs(Object.values(v.scores).reduce((a, b) => a + b, 0) - 1) < 1e-9);
  });

  it('GIVEN a function THEN it answers per image, records the calls, and a throw is unknown (failed)', async () => {
    const c = scriptedClassifier((bytes) => {
      if (bytes[0] === 0) throw new Error('bad');
      return scoredVerdict({ sexy: 0.9 });
    });
    assert.equal((await c.classify(new Uint8Array([1]), 'image/webp')).kind, 'scored');
    assert.deepEqual(await c.classify(new Uint8Array([0]), 'image/png'), {
      kind: 'unknown',
      reason: 'failed',
      detail: 'bad',
    });
    assert.deepEqual(
      c.calls.map((x) => x.mime),
      ['image/webp', 'image/png'],
    );
  });
});

describe('frames of animations', () => {
  it('GIVEN frame counts THEN evenly spread samples, first and last included, never more than asked', () => {
    assert.deepEqual(sampleFrames(1, 4), [0]);
    assert.deepEqual(sampleFrames(3, 4), [0, 1, 2]);
    assert.deepEqual(sampleFrames(10, 4), [0, 3, 6, 9]);
    assert.deepEqual(sampleFrames(100, 1), [0]);
  });

  it('GIVEN frames with different scores THEN each class takes its worst frame', () => {
    const a = scoredVerdict({ porn: 0.1, sexy: 0.7 });
    const b = scoredVerdict({ porn: 0.8, sexy: 0.05 });
    if (a.kind !== 'scored' || b.kind !== 'scored') throw new Error('unreachable');
    const w = worstOf([a.scores, b.scores]);
    assert.deepEqual([w.porn, w.sexy], [0.8, 0.7]);
  });
});

describe('pool size', () => {
  it('GIVEN the cores of the machine THEN one worker per core but one for the event loop, at least 1, at most 4', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 8, 64].map((cores) => defaultWorkers(cores)),
      [1, 1, 2, 3, 4, 4, 4],
    );
  });
});
