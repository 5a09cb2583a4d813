import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DurationEstimator } from '../../../../src/core/scheduler/duration-estimator.ts';
import { FairQueue } from '../../../../src/core/scheduler/fair-queue.ts';

interface Job {
  template: string;
}
const job = (template = 'txt2img'): Job => ({ template });

function drain<T>(queue: FairQueue<T>): string[] {
  const served: string[] = [];
  for (let entry = queue.next(); entry; entry = queue.next()) served.push(entry.id);
  return served;
}

describe('FairQueue', () => {
  it('GIVEN one heavy user with 20 jobs THEN each of ten light users is served within one job per other user', () => {
    const queue = new FairQueue<Job>();
    for (let i = 0; i < 20; i++) queue.enqueue(`heavy-${i}`, 'heavy', job());
    for (let u = 0; u < 10; u++) queue.enqueue(`light-${u}`, `light${u}`, job());
    const served = drain(queue);
    for (let u = 0; u < 10; u++) {
      // Ahead of light user u: one heavy job and the u light users who arrived earlier.
      assert.ok(
        served.indexOf(`light-${u}`) <= u + 1,
        `light-${u} served at ${served.indexOf(`light-${u}`)}`,
      );
    }
    assert.deepEqual(served.slice(0, 12), [
      'heavy-0',
      ...Array.from({ length: 10 }, (_, u) => `light-${u}`),
      'heavy-1',
    ]);
    assert.deepEqual(
      served.filter((id) => id.startsWith('heavy')),
      Array.from({ length: 20 }, (_, i) => `heavy-${i}`),
    );
  });

  it('GIVEN a newcomer while the heavy user is being served THEN the newcomer goes next', () => {
    const queue = new FairQueue<Job>();
    for (let i = 0; i < 5; i++) queue.enqueue(`h${i}`, 'heavy', job());
    assert.equal(queue.next()?.id, 'h0');
    queue.enqueue('n', 'newcomer', job());
    assert.equal(queue.position('n'), 1);
    assert.deepEqual(drain(queue), ['h1', 'n', 'h2', 'h3', 'h4']);
  });

  it('GIVEN priority tiers THEN higher tiers go first and users still alternate within a tier', () => {
    const queue = new FairQueue<Job>();
    queue.enqueue('free-a1', 'a', job());
    queue.enqueue('free-a2', 'a', job());
    queue.enqueue('vip-b1', 'b', job(), { priority: 10 });
    queue.enqueue('vip-b2', 'b', job(), { priority: 10 });
    queue.enqueue('vip-c1', 'c', job(), { priority: 10 });
    queue.enqueue('free-d1', 'd', job());
    assert.deepEqual(
      queue.snapshot().map((e) => e.id),
      ['vip-b1', 'vip-c1', 'vip-b2', 'free-a1', 'free-d1', 'free-a2'],
    );
    assert.deepEqual(drain(queue), ['vip-b1', 'vip-c1', 'vip-b2', 'free-a1', 'free-d1', 'free-a2']);
  });

  it('GIVEN a removed job THEN it is not served, positions close up, and removing twice is false', () => {
    const queue = new FairQueue<Job>();
    queue.enqueue('a1', 'a', job());
    queue.enqueue('b1', 'b', job());
    queue.enqueue('a2', 'a', job());
    assert.equal(queue.remove('b1'), true);
    assert.equal(queue.remove('b1'), false);
    assert.equal(queue.size, 2);
    assert.equal(queue.position('a2'), 1);
    assert.equal(queue.position('b1'), undefined);
    assert.deepEqual(drain(queue), ['a1', 'a2']);
  });

  it('GIVEN canTake refuses a job THEN the next runnable one is taken and the refused user keeps the turn', () => {
    const queue = new FairQueue<Job>();
    queue.enqueue('a-video', 'a', job('video'));
    queue.enqueue('a-img', 'a', job('img'));
    queue.enqueue('b-video', 'b', job('video'));
    queue.enqueue('c-img', 'c', job('img'));
    const imagesOnly = (item: Job) => item.template === 'img';
    assert.equal(queue.next(imagesOnly)?.id, 'a-img');
    assert.equal(queue.next(imagesOnly)?.id, 'c-img');
    assert.equal(queue.next(imagesOnly), undefined);
    // b was skipped twice, never served: it is first once video can run.
    assert.deepEqual(drain(queue), ['b-video', 'a-video']);
  });

  it('GIVEN a job id queued twice THEN enqueue throws', () => {
    const queue = new FairQueue<Job>();
    queue.enqueue('x', 'a', job());
    assert.throws(() => queue.enqueue('x', 'b', job()), /already queued/);
  });

  it('GIVEN estimates, two backends and running work THEN eta follows the documented formula', () => {
    const estimator = new DurationEstimator({ defaultMs: 10_000 });
    estimator.record('fast', 'gpu1', 4_000);
    const queue = new FairQueue<Job>();
    queue.enqueue('a1', 'a', job('fast'));
    queue.enqueue('a2', 'a', job('slow'));
    queue.enqueue('b1', 'b', job('fast'));
    // Order: a1 (4 s), b1 (4 s), a2 (10 s, unknown template → default).
    const context = { templateOf: (j: Job) => j.template, backends: 2, runningRemainingMs: [6_000, 2_000] };
    assert.deepEqual(queue.eta('a1', estimator, context), { startsInMs: 4_000, finishesInMs: 8_000 });
    assert.deepEqual(queue.eta('a2', estimator, context), { startsInMs: 8_000, finishesInMs: 18_000 });
    assert.equal(queue.eta('missing', estimator, context), undefined);
  });
});

describe('DurationEstimator', () => {
  it('GIVEN no history THEN the default is returned', () => {
    assert.equal(new DurationEstimator({ defaultMs: 12_345 }).estimate('x'), 12_345);
  });

  it('GIVEN samples THEN the estimate is an exponentially weighted average per backend', () => {
    const estimator = new DurationEstimator({ alpha: 0.5 });
    estimator.record('t', 'big', 10_000);
    estimator.record('t', 'big', 20_000);
    estimator.record('t', 'small', 40_000);
    assert.equal(estimator.estimate('t', 'big'), 15_000);
    assert.equal(estimator.estimate('t', 'small'), 40_000);
    assert.equal(estimator.estimate('t'), 27_500);
    assert.equal(estimator.estimate('t', 'unknown-backend'), 27_500);
  });
});
