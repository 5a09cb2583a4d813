import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../../../src/core/app.ts';
import { encodeAction } from '../../../../src/core/chat/actions.ts';
import { type ButtonPress, dispatchButton } from '../../../../src/core/chat/button-dispatch.ts';
import type { ChatService } from '../../../../src/core/chat/chat-service.ts';
import type { JobRecord } from '../../../../src/core/jobs/types.ts';
import { relayPorts } from '../../../../src/core/ports/relay-ports.ts';
import type { FakeComfy } from '../../../fakes/comfy/index.ts';
import { requester, settled } from '../../../helpers/app.ts';
import { type OneGpuRelay, startOneGpuRelay } from '../../../helpers/one-gpu-relay.ts';

describe('dispatchButton', () => {
  let fake: FakeComfy;
  let app: App;
  let chat: ChatService;
  let relay: OneGpuRelay;
  const asked = { admin: 0, delivery: 0 };

  /** A press by `user`; `admin` is what the adapter would answer when asked. */
  const press = (user: string, admin = false): ButtonPress => ({
    requester: requester(user),
    isAdmin: async () => {
      asked.admin++;
      return admin;
    },
    delivery: () => {
      asked.delivery++;
      return { platform: 'cli' };
    },
    idempotencyKey: `test:${user}:${Math.random()}`,
  });
  const pressOn = (
    action: 'cancel' | 'delete' | 'useSeed' | 'reroll',
    job: JobRecord,
    user: string,
    admin = false,
  ) => dispatchButton(chat, encodeAction({ action, jobId: job.id }), press(user, admin));

  async function finished(user = 'alice'): Promise<JobRecord> {
    const r = await app.engine.submit({
      requester: requester(user),
      request: { template: 'sd15-txt2img', prompt: 'a lighthouse', values: { steps: 2 } },
      delivery: { platform: 'cli' },
    });
    assert.ok(r.ok, JSON.stringify(r));
    return settled(app, r.value.id);
  }

  async function running(user = 'alice'): Promise<JobRecord> {
    fake.stall(true);
    const r = await app.engine.submit({
      requester: requester(user),
      request: { template: 'sd15-txt2img', prompt: 'a stalled lighthouse', values: { steps: 2 } },
      delivery: { platform: 'cli' },
    });
    assert.ok(r.ok, JSON.stringify(r));
    return r.value;
  }

  before(async () => {
    relay = await startOneGpuRelay({ stepDelayMs: 5 });
    ({ app, comfy: fake } = relay);
    chat = relayPorts(app).chat;
  });

  after(async () => {
    fake.stall(false);
    await relay.close();
  });

  it('GIVEN forged or foreign ids THEN they are forged and nothing is asked or done', async () => {
    asked.admin = asked.delivery = 0;
    for (const raw of ['', 'cr:x:abcdefghij', 'cr:u:abcdefghij', 'xx:d:abcdefghij', 'cr:r:../../etc']) {
      assert.deepEqual(await dispatchButton(chat, raw, press('mallory', true)), { kind: 'forged' }, raw);
    }
    assert.deepEqual(asked, { admin: 0, delivery: 0 });
  });

  it('GIVEN a job that does not exist THEN the press is refused as not found, even for an admin', async () => {
    const o = await dispatchButton(
      chat,
      encodeAction({ action: 'delete', jobId: 'zzzzzzzzzz' }),
      press('a', true),
    );
    assert.equal(o.kind, 'refused');
    assert.equal(o.kind === 'refused' && o.message.code, 'chat.notFound');
  });

  it('GIVEN someone else’s job THEN their Delete and Cancel are refused and the job is untouched', async () => {
    const done = await finished();
    const live = await running();
    asked.admin = 0;
    assert.deepEqual(await pressOn('delete', done, 'bob'), {
      kind: 'refused',
      message: { code: 'chat.notYours' },
    });
    assert.deepEqual(await pressOn('cancel', live, 'bob'), {
      kind: 'refused',
      message: { code: 'chat.notYours' },
    });
    assert.equal(asked.admin, 2, 'the admin question is asked only for someone else’s job');
    assert.equal((await app.engine.get(done.id))?.deletedAt, undefined);
    assert.notEqual((await app.engine.get(live.id))?.state, 'canceled');
    await app.engine.cancel(live.id, requester('alice'));
    fake.stall(false);
  });

  it('GIVEN the owner THEN Delete and Cancel are done without asking whether they are an admin', async () => {
    const done = await finished();
    const live = await running();
    asked.admin = 0;
    const deleted = await pressOn('delete', done, 'alice');
    assert.equal(deleted.kind, 'deleted');
    assert.ok((await app.engine.get(done.id))?.deletedAt);
    assert.equal((await pressOn('cancel', live, 'alice')).kind, 'canceled');
    fake.stall(false);
    assert.equal((await settled(app, live.id)).state, 'canceled');
    assert.equal(asked.admin, 0);
  });

  it('GIVEN an admin THEN someone else’s Delete and Cancel are done', async () => {
    const done = await finished();
    const live = await running();
    assert.equal((await pressOn('delete', done, 'carol', true)).kind, 'deleted');
    assert.ok((await app.engine.get(done.id))?.deletedAt);
    assert.equal((await pressOn('cancel', live, 'carol', true)).kind, 'canceled');
    fake.stall(false);
    assert.equal((await settled(app, live.id)).state, 'canceled');
  });

  it('GIVEN Use seed THEN anyone gets the seed as text, and a deleted job’s seed is not found', async () => {
    const done = await finished();
    asked.admin = 0;
    const o = await pressOn('useSeed', done, 'bob');
    assert.deepEqual(o, {
      kind: 'text',
      message: { code: 'chat.seed', params: { id: done.id, seed: done.seed } },
    });
    assert.equal(asked.admin, 0);
    await pressOn('delete', done, 'alice');
    const gone = await pressOn('useSeed', done, 'bob');
    assert.equal(gone.kind === 'text' && gone.message.code, 'chat.notFound');
  });

  it('GIVEN Reroll THEN the delivery is asked for only once the press is allowed', async () => {
    const done = await finished();
    asked.delivery = 0;
    assert.equal((await pressOn('reroll', done, 'bob')).kind, 'refused');
    assert.equal(asked.delivery, 0);
    const o = await pressOn('reroll', done, 'alice');
    assert.equal(o.kind, 'job');
    assert.equal(asked.delivery, 1);
    if (o.kind === 'job') {
      assert.equal(o.job.request.parentJobId, done.id);
      await settled(app, o.job.id);
    }
  });
});
