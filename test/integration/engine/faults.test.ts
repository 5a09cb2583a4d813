import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runFaultSuite } from '../../../bench/faults/run.ts';

// The fault-injection suite of `bench/faults.ts`, short: the same code, fewer requests and faults.
describe('fault injection (short)', () => {
  it('GIVEN requests from Discord, Telegram and HTTP while faults are injected THEN none is lost and none delivered twice', async () => {
    const lines: string[] = [];
    const result = await runFaultSuite({
      seed: 11,
      jobs: 36,
      faults: 14,
      spanMs: 9000,
      drainMs: 60_000,
      log: (line) => lines.push(line),
    });
    const story = lines.join('\n');
    assert.equal(result.jobs, 36);
    assert.equal(result.lost, 0, story);
    assert.equal(result.deliveredTwice, 0, story);
    assert.equal(result.deliveredOnce + result.failedWithMessage, 36, story);
    assert.ok(result.deliveredOnce > 0, story);
  });
});
