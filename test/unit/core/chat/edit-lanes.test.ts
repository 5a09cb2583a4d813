import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { EditLanes, type LaneOutcome } from '../../../../src/core/chat/edit-lanes.ts';
import { ManualClock } from '../../../helpers/clocks.ts';

/** A platform call the test answers by hand. */
interface Call {
  name: string;
  answer: (outcome?: LaneOutcome) => Promise<void>;
}

const settle = () => new Promise((r) => setImmediate(r));

describe('EditLanes', () => {
  let clock: ManualClock;
  let lanes: EditLanes;
  let calls: Call[];
  const started = () => calls.map((c) => c.name);

  function op(name: string) {
    return () =>
      new Promise<LaneOutcome>((resolve) => {
        calls.push({
          name,
          answer: async (outcome) => {
            resolve(outcome);
            await settle();
          },
        });
      });
  }

  beforeEach(() => {
    clock = new ManualClock();
    lanes = new EditLanes(clock);
    calls = [];
  });

  it('GIVEN a call in flight for a message THEN newer states wait for it and only the newest of them runs', async () => {
    const first = lanes.submit('chat', 'job1', op('s1'));
    const replaced = lanes.submit('chat', 'job1', op('s2'));
    const newest = lanes.submit('chat', 'job1', op('s3'));
    assert.deepEqual(started(), ['s1']);
    await calls[0]!.answer();
    await first;
    assert.deepEqual(started(), ['s1', 's3']);
    await calls[1]!.answer();
    await Promise.all([replaced, newest]);
    assert.deepEqual(started(), ['s1', 's3']);
  });

  it('GIVEN two messages in one chat THEN their calls run side by side, without spacing', async () => {
    void lanes.submit('chat', 'job1', op('a1'));
    void lanes.submit('chat', 'job2', op('b1'));
    assert.deepEqual(started(), ['a1', 'b1']);
    await calls[0]!.answer();
    void lanes.submit('chat', 'job1', op('a2'));
    assert.deepEqual(started(), ['a1', 'b1', 'a2'], 'the next state runs as soon as the last call answered');
  });

  it('GIVEN a 429 THEN every call to that chat waits out retry_after and the retry shows the newest state', async () => {
    const first = lanes.submit('chat', 'job1', op('a1'));
    await calls[0]!.answer({ retryAfterMs: 2000 });
    const newer = lanes.submit('chat', 'job1', op('a2'));
    void lanes.submit('chat', 'job2', op('b1'));
    void lanes.submit('other chat', 'job3', op('c1'));
    assert.deepEqual(started(), ['a1', 'c1'], 'only the other chat goes on during the pause');
    let ready = false;
    void lanes.ready('chat').then(() => {
      ready = true;
    });
    clock.advance(1999);
    await settle();
    assert.equal(ready, false);
    assert.deepEqual(started(), ['a1', 'c1']);
    clock.advance(1);
    await settle();
    assert.equal(ready, true);
    assert.deepEqual(started().sort(), ['a1', 'a2', 'b1', 'c1']);
    await calls.find((c) => c.name === 'a2')!.answer();
    await Promise.all([first, newer]);
  });

  it('GIVEN a 429 with nothing newer THEN the same call runs again after the pause', async () => {
    const done = lanes.submit('chat', 'job1', op('a1'));
    await calls[0]!.answer({ retryAfterMs: 500 });
    clock.advance(500);
    await settle();
    assert.deepEqual(started(), ['a1', 'a1']);
    await calls[1]!.answer();
    await done;
  });

  it('GIVEN an edit that ran late behind a slow send WHEN the next edit comes on time THEN it still keeps the gap', async () => {
    const send = lanes.submit('chat', 'job1', op('send'));
    const late = lanes.submit('chat', 'job1', op('edit1'), { gapMs: 1000 });
    clock.advance(300);
    await calls[0]!.answer();
    await settle();
    assert.deepEqual(started(), ['send', 'edit1'], 'the first edit has no gap to keep');
    await calls[1]!.answer();
    await Promise.all([send, late]);
    clock.advance(800);
    const next = lanes.submit('chat', 'job2', op('edit2'), { gapMs: 1000 });
    await settle();
    assert.deepEqual(started(), ['send', 'edit1'], 'another message of the chat waits too');
    void lanes.submit('chat', 'job3', op('send3'));
    assert.deepEqual(started(), ['send', 'edit1', 'send3'], 'a send is not held');
    clock.advance(200);
    await settle();
    assert.deepEqual(started(), ['send', 'edit1', 'send3', 'edit2']);
    await calls[3]!.answer();
    await next;
  });

  it('GIVEN an edit answered late WHEN the next edit comes THEN its gap runs from that answer (when the platform surely had it)', async () => {
    const first = lanes.submit('chat', 'job1', op('edit1'), { gapMs: 1000 });
    clock.advance(400);
    await calls[0]!.answer();
    await first;
    clock.advance(700);
    const next = lanes.submit('chat', 'job2', op('edit2'), { gapMs: 1000 });
    await settle();
    assert.deepEqual(started(), ['edit1'], '1100 ms after the start, 700 ms after the answer');
    clock.advance(299);
    await settle();
    assert.deepEqual(started(), ['edit1']);
    clock.advance(1);
    await settle();
    assert.deepEqual(started(), ['edit1', 'edit2']);
    await calls[1]!.answer();
    await next;
  });

  it('GIVEN pending calls WHEN the lanes close THEN their callers are released and nothing more runs', async () => {
    void lanes.submit('chat', 'job1', op('a1'));
    const pending = lanes.submit('chat', 'job1', op('a2'));
    lanes.close();
    await pending;
    await lanes.submit('chat', 'job2', op('b1'));
    assert.deepEqual(started(), ['a1']);
  });
});
