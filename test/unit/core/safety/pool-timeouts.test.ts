import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BroadcastChannel } from 'node:worker_threads';
import {
  type PoolClassifierOptions,
  type PoolEvent,
  type SafetyVerdict,
  startPoolClassifier,
} from '../../../../src/core/safety/index.ts';
import { ManualClock } from '../../../helpers/clocks.ts';

const gatedWorker = new URL('./fixtures/gated-worker.ts', import.meta.url);
const NEUTRAL: SafetyVerdict = {
  kind: 'scored',
  scores: { drawing: 0, hentai: 0, neutral: 1, porn: 0, sexy: 0 },
  frames: 1,
};

/** The test's side of the gated worker: sees which images the workers took, and releases their answers. */
function workerGate() {
  const channel = new BroadcastChannel('gated-worker');
  const took: number[] = [];
  let wake: (() => void) | undefined;
  channel.onmessage = (event) => {
    const { took: id } = (event as { data: { took?: number } }).data;
    if (id === undefined) return;
    took.push(id);
    wake?.();
  };
  return {
    took,
    /** The task id of the `n`-th image taken by any worker (1-based), once it has been taken. */
    async nth(n: number): Promise<number> {
      while (took.length < n) await new Promise<void>((resolve) => (wake = resolve));
      return took[n - 1]!;
    },
    answer(id: number) {
      channel.postMessage({ answer: id });
    },
    close: () => channel.close(),
  };
}

async function gatedPool(options: PoolClassifierOptions) {
  const events: PoolEvent[] = [];
  const started = await startPoolClassifier({
    workers: 1,
    workerUrl: gatedWorker,
    onEvent: (e) => events.push(e),
    ...options,
  });
  assert.ok(started.ok);
  return { classifier: started.value, events };
}

const image = (n: number) => new Uint8Array([n]);

// The timeout only guards against a hang in a broken pool; no assertion depends on real time.
describe('classifier pool timeouts', { timeout: 30_000 }, () => {
  it('GIVEN ten images queued on one worker, each classified in T with a timeout of 2T THEN all are scored', async () => {
    const clock = new ManualClock();
    const gate = workerGate();
    const { classifier } = await gatedPool({ clock, timeoutMs: 2000 });
    try {
      const verdicts = Promise.all(
        Array.from({ length: 10 }, (_, i) => classifier.classify(image(i), 'image/png')),
      );
      // Stops early if every image has already got its verdict (as when waiting counted as classifying).
      const allSettled = verdicts.then(() => undefined);
      for (let n = 1; n <= 10; n++) {
        const id = await Promise.race([gate.nth(n), allSettled]);
        if (id === undefined) break;
        clock.advance(1000);
        gate.answer(id);
      }
      assert.deepEqual(await verdicts, Array(10).fill(NEUTRAL));
    } finally {
      await classifier.close();
      gate.close();
    }
  });

  it('GIVEN an image whose classification exceeds the timeout THEN it is unknown (timeout), the worker is replaced and the next image is scored', async () => {
    const clock = new ManualClock();
    const gate = workerGate();
    const { classifier, events } = await gatedPool({ clock, timeoutMs: 2000 });
    try {
      const slow = classifier.classify(image(1), 'image/png');
      const next = classifier.classify(image(2), 'image/png');
      await gate.nth(1);
      clock.advance(2000);
      assert.deepEqual(await slow, { kind: 'unknown', reason: 'timeout' });
      gate.answer(await gate.nth(2));
      assert.deepEqual(await next, NEUTRAL);
      assert.ok(events.some((e) => e.type === 'stuck' && e.worker === 1));
      assert.ok(events.some((e) => e.type === 'ready' && e.worker === 2));
    } finally {
      await classifier.close();
      gate.close();
    }
  });

  it('GIVEN an image waits for a worker longer than the queue timeout THEN it is unknown (timeout, in the queue) and never classified', async () => {
    const clock = new ManualClock();
    const gate = workerGate();
    const { classifier } = await gatedPool({ clock, timeoutMs: 10_000, queueTimeoutMs: 1000 });
    try {
      const running = classifier.classify(image(1), 'image/png');
      const waiting = classifier.classify(image(2), 'image/png');
      const first = await gate.nth(1);
      clock.advance(1000);
      assert.deepEqual(await waiting, {
        kind: 'unknown',
        reason: 'timeout',
        detail: 'waited over 1000 ms in the queue',
      });
      gate.answer(first);
      assert.deepEqual(await running, NEUTRAL);
      const later = classifier.classify(image(3), 'image/png');
      gate.answer(await gate.nth(2));
      assert.deepEqual(await later, NEUTRAL);
      assert.deepEqual(gate.took, [1, 3]);
    } finally {
      await classifier.close();
      gate.close();
    }
  });
});
