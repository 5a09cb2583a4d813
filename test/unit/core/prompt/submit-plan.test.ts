import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JobRecord, JobRequest } from '../../../../src/core/jobs/types.ts';
import { type PlanEngine, submitPlan } from '../../../../src/core/prompt/index.ts';
import { err, ok } from '../../../../src/shared/result.ts';

type Submitted = Parameters<PlanEngine['submit']>[0];

/** An engine that admits `room` jobs, then refuses with a quota message; it records every call. */
function engine(room: number) {
  const submitted: Submitted[] = [];
  const canceled: string[] = [];
  const fake: PlanEngine = {
    async submit(input) {
      submitted.push(input);
      if (submitted.length > room) return err({ code: 'quota.refused.waiting' });
      return ok({ id: `job${submitted.length}`, request: input.request } as JobRecord);
    },
    async cancel(id) {
      canceled.push(id);
    },
  };
  return { fake, submitted, canceled };
}

const requests: JobRequest[] = [41, 42, 43].map((seed) => ({ template: 't', prompt: 'p', values: {}, seed }));
const requester = { platform: 'telegram' as const, userId: '7' };
const image = { bytes: new Uint8Array([1]), mime: 'image/png', width: 1, height: 1 };

describe('submitPlan', () => {
  it('GIVEN three requests THEN three jobs in order, each with its own delivery and idempotency key', async () => {
    const e = engine(3);
    const r = await submitPlan(
      e.fake,
      { requests, image },
      {
        requester,
        delivery: (i) => ({ platform: 'telegram', status: `s${i}` }),
        idempotencyKey: 'tg:1:2',
      },
    );
    assert.ok(r.ok);
    assert.deepEqual(
      r.value.map((j) => j.id),
      ['job1', 'job2', 'job3'],
    );
    assert.deepEqual(
      e.submitted.map((s) => [s.request.seed, s.delivery?.['status'], s.idempotencyKey, s.inputImage?.mime]),
      [
        [41, 's0', 'tg:1:2', 'image/png'],
        [42, 's1', 'tg:1:2#2', 'image/png'],
        [43, 's2', 'tg:1:2#3', 'image/png'],
      ],
    );
  });

  it('GIVEN the engine refuses the third THEN the two queued are canceled and the refusal is the answer', async () => {
    const e = engine(2);
    const r = await submitPlan(e.fake, { requests }, { requester });
    assert.deepEqual(r, { ok: false, error: { code: 'quota.refused.waiting' } });
    assert.deepEqual(e.canceled, ['job1', 'job2']);
  });

  it('GIVEN stop is asked after the first THEN no more are submitted and the first is kept', async () => {
    const e = engine(3);
    const r = await submitPlan(e.fake, { requests }, { requester, stop: () => e.submitted.length === 1 });
    assert.ok(r.ok);
    assert.equal(r.value.length, 1);
    assert.deepEqual(e.canceled, []);
  });
});
