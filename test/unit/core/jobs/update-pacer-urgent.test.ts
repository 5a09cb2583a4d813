import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { UpdatePacer } from '../../../../src/core/jobs/update-pacer.ts';
import { ManualClock } from '../../../helpers/clocks.ts';

describe('UpdatePacer: a job that starts', () => {
  let clock: ManualClock;
  let sent: { at: number; value: string }[];
  let pacer: UpdatePacer<string>;
  const since = (start: number) => sent.map((s) => [s.at - start, s.value]);

  beforeEach(() => {
    clock = new ManualClock();
    sent = [];
    pacer = new UpdatePacer((value) => sent.push({ at: clock.now(), value }), clock);
  });

  it('GIVEN a job that starts right after its first update THEN the start goes out at once (not the stale dispatch), progress one interval later', () => {
    const start = clock.now();
    pacer.push('group', 3000, 'a', 'queued');
    clock.advance(10);
    pacer.push('group', 3000, 'a', 'dispatched');
    clock.advance(40);
    pacer.push('group', 3000, 'a', 'started', true);
    pacer.push('group', 3000, 'a', 'progress 10%');
    clock.advance(5000);
    assert.deepEqual(since(start), [
      [0, 'queued'],
      [50, 'started'],
      [3050, 'progress 10%'],
    ]);
  });

  it('GIVEN two jobs starting on one busy target THEN the second start still waits for the target’s turn', () => {
    const start = clock.now();
    pacer.push('group', 3000, 'a', 'a queued');
    pacer.push('group', 3000, 'b', 'b queued');
    pacer.push('group', 3000, 'a', 'a started', true);
    pacer.push('group', 3000, 'b', 'b started', true);
    clock.advance(5000);
    assert.deepEqual(since(start), [
      [0, 'a queued'],
      [0, 'b queued'],
      [0, 'a started'],
      [3000, 'b started'],
    ]);
  });

  it('GIVEN a busy target WHEN a job whose result is shown ends THEN its end goes at once and takes no turn', () => {
    const start = clock.now();
    pacer.push('group', 3000, 'a', 'a queued');
    pacer.push('group', 3000, 'a', 'a started', true);
    pacer.push('group', 3000, 'b', 'b queued');
    pacer.push('group', 3000, 'b', 'b started', true);
    clock.advance(100);
    pacer.final('group', 3000, 'b', 'b done', true);
    pacer.push('group', 3000, 'a', 'a 50%');
    clock.advance(5000);
    assert.deepEqual(since(start), [
      [0, 'a queued'],
      [0, 'a started'],
      [0, 'b queued'],
      [100, 'b done'],
      [3000, 'a 50%'],
    ]);
  });
});
