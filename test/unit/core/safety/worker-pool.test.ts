import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type PoolEvent, startPoolClassifier } from '../../../../src/core/safety/index.ts';
import { solid } from './images.ts';

const fixture = (name: string) => new URL(`./fixtures/${name}.ts`, import.meta.url);

/** Waits for the first event the predicate accepts (events are pushed by the pool as they happen). */
function eventLog() {
  const events: PoolEvent[] = [];
  const waiters: { test: (e: PoolEvent) => boolean; resolve: () => void }[] = [];
  return {
    events,
    onEvent(e: PoolEvent) {
      events.push(e);
      for (const w of waiters.filter((w) => w.test(e))) w.resolve();
    },
    until(test: (e: PoolEvent) => boolean): Promise<void> {
      if (events.some(test)) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ test, resolve }));
    },
  };
}

// The echo worker answers class (red % 5) with certainty, and crashes on red = 255.
const CLASS_OF_RED = ['drawing', 'hentai', 'neutral', 'porn', 'sexy'] as const;

describe('classifier worker pool', () => {
  it('GIVEN twenty concurrent requests on two workers THEN each gets its own answer', async () => {
    const started = await startPoolClassifier({ workers: 2, workerUrl: fixture('echo-worker') });
    assert.ok(started.ok);
    const classifier = started.value;
    try {
      const reds = Array.from({ length: 20 }, (_, i) => i % 5);
      const images = await Promise.all(reds.map((r) => solid(32, 32, { r, g: 9, b: 9 })));
      const verdicts = await Promise.all(images.map((img) => classifier.classify(img, 'image/png')));
      const top = verdicts.map((v) =>
        v.kind === 'scored' ? Object.entries(v.scores).find(([, p]) => p === 1)?.[0] : v.reason,
      );
      assert.deepEqual(
        top,
        reds.map((r) => CLASS_OF_RED[r]),
      );
    } finally {
      await classifier.close();
    }
  });

  it('GIVEN a worker crashes on one image THEN that image is unknown (failed), the others are scored, and a replacement takes later work', async () => {
    const log = eventLog();
    const started = await startPoolClassifier({
      workers: 2,
      workerUrl: fixture('echo-worker'),
      onEvent: log.onEvent,
    });
    assert.ok(started.ok);
    const classifier = started.value;
    try {
      const reds = [1, 2, 255, 3, 4, 0, 1, 2];
      const images = await Promise.all(reds.map((r) => solid(16, 16, { r, g: 0, b: 0 })));
      const verdicts = await Promise.all(images.map((img) => classifier.classify(img, 'image/png')));
      assert.deepEqual(
        verdicts.map((v) => (v.kind === 'scored' ? 'scored' : v.reason)),
        reds.map((r) => (r === 255 ? 'failed' : 'scored')),
      );
      await log.until((e) => e.type === 'ready' && e.worker === 3);
      assert.ok(log.events.some((e) => e.type === 'exited' && e.code === 7 && e.busy));
      assert.equal(classifier.readyWorkers, 2);
      const after = await classifier.classify(await solid(16, 16, { r: 4, g: 0, b: 0 }), 'image/png');
      assert.equal(after.kind === 'scored' && after.scores.sexy, 1);
    } finally {
      await classifier.close();
    }
  });

  it('GIVEN a worker that never answers THEN the request ends unknown (timeout) and the stuck worker is replaced', async () => {
    const log = eventLog();
    const started = await startPoolClassifier({
      workers: 1,
      timeoutMs: 150,
      workerUrl: fixture('silent-worker'),
      onEvent: log.onEvent,
    });
    assert.ok(started.ok);
    const classifier = started.value;
    try {
      const v = await classifier.classify(await solid(16, 16, { r: 1, g: 1, b: 1 }), 'image/png');
      assert.deepEqual(v, { kind: 'unknown', reason: 'timeout' });
      await log.until((e) => e.type === 'ready' && e.worker === 2);
      assert.ok(log.events.some((e) => e.type === 'stuck' && e.worker === 1));
    } finally {
      await classifier.close();
    }
  });

  it('GIVEN the model cannot load in any worker THEN start fails with the reason', async () => {
    const started = await startPoolClassifier({ workers: 2, workerUrl: fixture('broken-worker') });
    assert.deepEqual(started, { ok: false, error: 'model files missing' });
  });

  it('GIVEN the pool closed THEN a request is unknown (unavailable) at once', async () => {
    const started = await startPoolClassifier({ workers: 1, workerUrl: fixture('echo-worker') });
    assert.ok(started.ok);
    await started.value.close();
    const v = await started.value.classify(await solid(8, 8, { r: 1, g: 1, b: 1 }), 'image/png');
    assert.deepEqual(v, { kind: 'unknown', reason: 'unavailable', detail: 'closed' });
  });
});
