import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { UpdatePacer } from '../../../../src/core/jobs/update-pacer.ts';
import { ManualClock } from '../../../helpers/clocks.ts';

describe('UpdatePacer', () => {
  let clock: ManualClock;
  let sent: { at: number; value: string }[];
  let pacer: UpdatePacer<string>;
  const since = (start: number) => sent.map((s) => [s.at - start, s.value]);

  beforeEach(() => {
    clock = new ManualClock();
    sent = [];
    pacer = new UpdatePacer((value) => sent.push({ at: clock.now(), value }), clock);
  });

  it("GIVEN a job's updates THEN the first goes out at once and the rest collapse to the newest, one interval later", () => {
    const start = clock.now();
    pacer.push('chat', 1000, 'a', 'a1');
    pacer.push('chat', 1000, 'a', 'a2');
    clock.advance(300);
    pacer.push('chat', 1000, 'a', 'a3');
    pacer.push('chat', 1000, 'a', 'a4');
    clock.advance(5000);
    assert.deepEqual(since(start), [
      [0, 'a1'],
      [1000, 'a4'],
    ]);
  });

  it('GIVEN two jobs on one target THEN the target gets one update per interval and the jobs take turns', () => {
    const start = clock.now();
    pacer.push('group', 3000, 'a', 'a1');
    pacer.push('group', 3000, 'b', 'b1');
    pacer.push('group', 3000, 'a', 'a2');
    pacer.push('group', 3000, 'b', 'b2');
    pacer.push('group', 3000, 'a', 'a3');
    clock.advance(6000);
    pacer.push('group', 3000, 'a', 'a4');
    clock.advance(10_000);
    assert.deepEqual(since(start), [
      [0, 'a1'],
      [0, 'b1'],
      [3000, 'a3'],
      [6000, 'b2'],
      [9000, 'a4'],
    ]);
  });

  it("GIVEN a busy target WHEN a new job's first update arrives THEN it goes out at once, uncounted, and the turns go on", () => {
    const start = clock.now();
    pacer.push('group', 3000, 'a', 'a1');
    pacer.push('group', 3000, 'a', 'a2');
    clock.advance(1000);
    pacer.push('group', 3000, 'b', 'b1');
    pacer.push('group', 3000, 'b', 'b2');
    clock.advance(10_000);
    assert.deepEqual(since(start), [
      [0, 'a1'],
      [1000, 'b1'],
      [3000, 'a2'],
      [6000, 'b2'],
    ]);
  });

  it('GIVEN two targets THEN each is paced on its own', () => {
    const start = clock.now();
    pacer.push('m1', 1000, 'a', 'a1');
    pacer.push('m2', 1000, 'b', 'b1');
    pacer.push('m1', 1000, 'a', 'a2');
    pacer.push('m2', 1000, 'b', 'b2');
    clock.advance(1000);
    assert.deepEqual(since(start), [
      [0, 'a1'],
      [0, 'b1'],
      [1000, 'a2'],
      [1000, 'b2'],
    ]);
  });

  it('GIVEN a final update THEN it replaces the pending one at once when the target is free, and nothing of that job follows', () => {
    const start = clock.now();
    pacer.push('chat', 1000, 'a', 'queued');
    pacer.push('chat', 1000, 'a', 'progress');
    pacer.final('chat', 1000, 'a', 'done');
    pacer.push('chat', 1000, 'a', 'late');
    pacer.final('chat', 1000, 'a', 'done again');
    clock.advance(5000);
    pacer.push('chat', 1000, 'a', 'later still');
    clock.advance(5000);
    assert.deepEqual(since(start), [
      [0, 'queued'],
      [0, 'done'],
    ]);
  });

  it("GIVEN a busy target THEN a job's final update waits for the target's turn", () => {
    const start = clock.now();
    pacer.push('chat', 1000, 'a', 'a1');
    pacer.push('chat', 1000, 'b', 'b1');
    pacer.push('chat', 1000, 'a', 'a2');
    clock.advance(1500);
    pacer.final('chat', 1000, 'b', 'b done');
    clock.advance(5000);
    assert.deepEqual(since(start), [
      [0, 'a1'],
      [0, 'b1'],
      [1000, 'a2'],
      [2000, 'b done'],
    ]);
  });

  it('GIVEN a job that ends before any update of it went out THEN its final goes out at once', () => {
    pacer.push('chat', 3000, 'a', 'a1');
    pacer.push('chat', 3000, 'a', 'a2');
    const at = clock.now();
    pacer.final('chat', 3000, 'b', 'b refused');
    assert.deepEqual(sent.at(-1), { at, value: 'b refused' });
  });

  it('GIVEN an idle target THEN its timer ends and a later update goes out at once', () => {
    pacer.push('chat', 1000, 'a', 'a1');
    pacer.push('chat', 1000, 'a', 'a2');
    clock.advance(2000);
    assert.equal(clock.pendingTimers, 0);
    clock.advance(200);
    const at = clock.now();
    pacer.push('chat', 1000, 'a', 'a3');
    assert.deepEqual(sent.at(-1), { at, value: 'a3' });
  });

  it('GIVEN pending updates WHEN the pacer closes THEN the finals go out at once and the rest are dropped', () => {
    pacer.push('chat', 3000, 'a', 'a1');
    pacer.push('chat', 3000, 'b', 'b1');
    pacer.push('chat', 3000, 'a', 'a2');
    clock.advance(3000);
    pacer.push('chat', 3000, 'a', 'a3');
    pacer.final('chat', 3000, 'b', 'b done');
    pacer.close();
    pacer.push('chat', 3000, 'c', 'c1');
    clock.advance(10_000);
    assert.deepEqual(
      sent.map((s) => s.value),
      ['a1', 'b1', 'a2', 'b done'],
    );
    assert.equal(clock.pendingTimers, 0);
  });
});
