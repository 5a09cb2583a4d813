import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runFaultSuite } from '../../../bench/faults/run.ts';

// The fault-injection suite of `bench/faults.ts`, short: the same code, fewer requests and faults. Seed 11
// with 10 faults draws a ComfyUI restart, ComfyUI 5xx, dropped sockets, a slow /view, a redis-server
// SIGKILL, Discord 5xx, Telegram 429, a relay SIGKILLed mid-delivery and one killed for good.
const JOBS = 24;
describe('fault injection (short)', () => {
  it('GIVEN requests from Discord, Telegram and HTTP while faults are injected THEN none is lost and none delivered twice', async () => {
    const lines: string[] = [];
    const result = await runFaultSuite({
      seed: 11,
      jobs: JOBS,
      faults: 10,
      spanMs: 5000,
      drainMs: 60_000,
      // A Discord request whose relay died before it made the job is told so after 6 s, not the
      // production 20 s: the run waits for that message like for any other end.
      interruptedAfterMs: 6000,
      log: (line) => lines.push(line),
    });
    const story = lines.join('\n');
    assert.equal(result.jobs, JOBS);
    assert.equal(result.faults, 10);
    assert.equal(result.byKind.relayGoneForGood, 1, 'one relay gone for good: its jobs are taken over');
    assert.equal(result.lost, 0, story);
    assert.equal(result.deliveredTwice, 0, story);
    assert.equal(result.deliveredOnce + result.failedWithMessage, JOBS, story);
    assert.ok(result.deliveredOnce > 0, story);
  });
});
