import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FairQueue } from '../../../../src/core/scheduler/fair-queue.ts';

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Tracked {
  userKey: string;
  /** Other users with queued jobs when this job arrived, if its owner had none queued then. */
  othersAtArrival?: number;
  servedBefore: Map<string, number>;
}

function runScenario(seed: number): void {
  const random = prng(seed);
  const queue = new FairQueue<Tracked>();
  const users = Array.from({ length: 2 + Math.floor(random() * 12) }, (_, i) => `u${i}`);
  const queuedPerUser = new Map<string, number>();
  const lastServedSeq = new Map<string, number>();
  let seq = 0;

  for (let step = 0; step < 400; step++) {
    if (random() < 0.55) {
      // Heavy users exist: the first user submits far more often than the others.
      const userKey = random() < 0.4 ? users[0]! : users[Math.floor(random() * users.length)]!;
      const mine = queuedPerUser.get(userKey) ?? 0;
      const others = [...queuedPerUser].filter(([key, n]) => key !== userKey && n > 0).length;
      const item: Tracked = {
        userKey,
        othersAtArrival: mine === 0 ? others : undefined,
        servedBefore: new Map(),
      };
      queue.enqueue(`j${seq++}`, userKey, item);
      queuedPerUser.set(userKey, mine + 1);
    } else {
      const entry = queue.next();
      if (!entry) continue;
      const { item } = entry;
      queuedPerUser.set(item.userKey, queuedPerUser.get(item.userKey)! - 1);
      for (const pending of queue.snapshot()) {
        if (pending.userKey !== item.userKey) {
          const counts = pending.item.servedBefore;
          counts.set(item.userKey, (counts.get(item.userKey) ?? 0) + 1);
        }
      }
      if (item.othersAtArrival !== undefined) {
        const waitedFor = [...item.servedBefore.values()].reduce((a, b) => a + b, 0);
        assert.ok(
          waitedFor <= item.othersAtArrival,
          `seed ${seed}: ${entry.id} waited for ${waitedFor} jobs with ${item.othersAtArrival} other users`,
        );
        // Nobody gets two turns ahead of a newcomer.
        for (const [other, n] of item.servedBefore)
          assert.ok(n <= 1, `seed ${seed}: ${other} served ${n}× first`);
      }
      // Each user's own jobs come out in arrival order.
      const number = Number(entry.id.slice(1));
      assert.ok(
        (lastServedSeq.get(item.userKey) ?? -1) < number,
        `seed ${seed}: ${item.userKey} out of order`,
      );
      lastServedSeq.set(item.userKey, number);
    }
  }
}

describe('FairQueue fairness (randomized)', () => {
  it('GIVEN 300 seeded random arrival sequences THEN a newcomer never waits more than one job per other waiting user', () => {
    for (let seed = 1; seed <= 300; seed++) runScenario(seed);
  });
});
