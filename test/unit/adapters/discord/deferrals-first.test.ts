import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeferralsFirst } from '../../../../src/adapters/discord/deferrals-first.ts';
import { ManualClock } from '../../../helpers/clocks.ts';

/** A deferral whose response the test releases. */
function pending() {
  let answer = () => {};
  let fail = (_: Error) => {};
  const response = new Promise<void>((resolve, reject) => {
    answer = resolve;
    fail = reject;
  });
  return { send: () => response, answer: () => answer(), fail: (e: Error) => fail(e) };
}

/** Whether `p` has settled once pending callbacks have run. */
async function isSettled(p: Promise<void>): Promise<boolean> {
  let settled = false;
  void p.then(() => {
    settled = true;
  });
  await new Promise((r) => setImmediate(r));
  return settled;
}

describe('discord: deferrals before the work that follows them', () => {
  it('GIVEN no deferral in flight THEN the work goes on at once', async () => {
    const first = new DeferralsFirst(new ManualClock());
    await first.send(async () => {});
    assert.equal(await isSettled(first.settled()), true);
  });

  it('GIVEN two deferrals in flight THEN the work waits for both, answered or failed', async () => {
    const first = new DeferralsFirst(new ManualClock());
    const a = pending();
    const b = pending();
    const sentA = first.send(a.send);
    const sentB = first.send(b.send).catch(() => {});
    const work = first.settled();
    a.answer();
    await sentA;
    assert.equal(await isSettled(work), false);
    b.fail(new Error('callback refused'));
    await sentB;
    assert.equal(await isSettled(work), true);
  });

  it('GIVEN a deferral that never gets its response THEN the work waits one second at most', async () => {
    const clock = new ManualClock();
    const first = new DeferralsFirst(clock);
    void first.send(pending().send);
    const work = first.settled();
    clock.advance(999);
    assert.equal(await isSettled(work), false);
    clock.advance(1);
    assert.equal(await isSettled(work), true);
    assert.equal(clock.pendingTimers, 0);
  });
});
