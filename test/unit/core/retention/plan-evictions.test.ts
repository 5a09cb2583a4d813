import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planEvictions, type StoredEntry } from '../../../../src/core/retention/plan-evictions.ts';

const entry = (id: string, createdAt: number, extra: Partial<StoredEntry> = {}): StoredEntry => ({
  id,
  kind: 'output',
  hash: `h-${id}`,
  size: 10,
  owner: 'alice',
  createdAt,
  ...extra,
});
const ids = (list: StoredEntry[]) => list.map((e) => e.id);
const never = () => false;

describe('planEvictions', () => {
  it('GIVEN everything within budget THEN nothing goes', () => {
    const entries = [entry('a', 1), entry('b', 2)];
    assert.deepEqual(planEvictions(entries, { totalBytes: 20, perOwnerBytes: 20 }, never), []);
  });

  it('GIVEN the total over budget THEN the oldest outputs go until it fits', () => {
    const entries = [entry('new', 3), entry('old', 1), entry('mid', 2)];
    assert.deepEqual(ids(planEvictions(entries, { totalBytes: 15 }, never)), ['old', 'mid']);
  });

  it('GIVEN one owner over their budget THEN only their oldest go, others are untouched', () => {
    const entries = [entry('a1', 1), entry('b1', 0, { owner: 'bob' }), entry('a2', 2), entry('a3', 3)];
    assert.deepEqual(ids(planEvictions(entries, { perOwnerBytes: 20 }, never)), ['a1']);
  });

  it('GIVEN a community over its budget THEN its entries go, oldest first, whoever owns them', () => {
    const entries = [
      entry('x', 1, { community: 'guild', owner: 'bob' }),
      entry('y', 2, { community: 'guild' }),
      entry('z', 0, { community: 'other' }),
    ];
    assert.deepEqual(ids(planEvictions(entries, { perCommunityBytes: 10 }, never)), ['x']);
  });

  it('GIVEN an active job THEN its entries are never evicted, even when oldest', () => {
    const entries = [entry('running', 1, { jobId: 'j1' }), entry('done', 2, { jobId: 'j2' })];
    const evicted = planEvictions(entries, { totalBytes: 5 }, (job) => job === 'j1');
    assert.deepEqual(ids(evicted), ['done']);
  });

  it('GIVEN uploads and outputs THEN outputs go first, uploads only when still over', () => {
    const entries = [entry('up', 1, { kind: 'upload' }), entry('out', 2), entry('in', 3, { kind: 'input' })];
    assert.deepEqual(ids(planEvictions(entries, { totalBytes: 10 }, never)), ['out', 'in']);
    assert.deepEqual(ids(planEvictions(entries, { totalBytes: 0 }, never)), ['out', 'in', 'up']);
  });

  it('GIVEN several entries over one blob THEN its bytes count once and free only with the last', () => {
    const shared = { hash: 'same', size: 30 };
    const entries = [entry('s1', 1, shared), entry('s2', 2, shared), entry('own', 3)];
    // 40 bytes stored (30 shared + 10); a budget of 35 needs the shared blob gone: both entries.
    assert.deepEqual(ids(planEvictions(entries, { totalBytes: 35 }, never)), ['s1', 's2']);
  });
});
