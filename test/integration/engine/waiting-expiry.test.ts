import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { relayPorts } from '../../../src/core/ports/relay-ports.ts';
import { settled } from '../../helpers/app.ts';
import { ManualClock } from '../../helpers/clocks.ts';
import { EngineHarness, imagine } from '../../helpers/engine-harness.ts';

const harness = new EngineHarness();
const UNREACHABLE = { name: 'gone', url: 'http://127.0.0.1:9' };

describe('the engine on the clock it is given', () => {
  afterEach(() => harness.close());

  it('GIVEN a manual clock WHEN no backend can take a job for jobs.waitForBackendSeconds THEN it ends expired, saying so, only once that time passed on the clock', async () => {
    const clock = new ManualClock();
    const { app } = await harness.app([UNREACHABLE], { jobs: { waitForBackendSeconds: 60 } }, { clock });
    assert.equal(app.clock, clock);
    assert.equal(relayPorts(app).clock, clock, "the front ends' ports run on the app's clock");

    const r = await imagine(app, 'ada');
    assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
    clock.advance(59_000);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal((await app.engine.get(r.value.id))?.state, 'queued', 'still waiting before the minute');

    clock.advance(2_000);
    const job = await settled(app, r.value.id);
    assert.equal(job.state, 'expired');
    assert.equal(job.error?.code, 'jobs.noBackendInTime');
    assert.deepEqual(job.error?.params, { seconds: 60 });
  });
});
