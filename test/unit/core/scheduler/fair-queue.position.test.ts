import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FairQueue } from '../../../../src/core/scheduler/fair-queue.ts';

/** Small seeded PRNG (mulberry32) so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('FairQueue.position', () => {
  it('GIVEN random queues with tiers, removals and takes THEN position always equals the index in snapshot()', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = rng(seed);
      const q = new FairQueue<number>();
      let n = 0;
      for (let step = 0; step < 200; step++) {
        const r = random();
        if (r < 0.6)
          q.enqueue(`j${n}`, `u${Math.floor(random() * 7)}`, n++, { priority: random() < 0.2 ? 1 : 0 });
        else if (r < 0.8) q.next((item) => item % 3 !== 0 || random() < 0.5);
        else q.remove(`j${Math.floor(random() * n)}`);
        const order = q.snapshot();
        for (const [index, entry] of order.entries()) {
          assert.equal(q.position(entry.id), index, `seed ${seed}, step ${step}, ${entry.id}`);
        }
      }
    }
  });
});
