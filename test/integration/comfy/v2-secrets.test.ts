import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { ComfyError, UnauthorizedError, type V2Log } from '../../../src/comfy/index.ts';
import { type FakeCloud, startFakeCloud } from '../../fakes/cloud/index.ts';
import { CLOUD_KEY, closeClients, cloudClient, cloudWorkflow } from './v2-helpers.ts';

const WRONG_KEY = 'comfyui-WRONG-key-0123456789abcdef';

/** Everything an error could show: message, stack, causes, own fields. */
const everything = (e: unknown) => `${inspect(e, { depth: 8, showHidden: true })}\n${JSON.stringify(e)}`;

describe('the API key of a Comfy API v2 backend', () => {
  let cloud: FakeCloud;
  const lines: string[] = [];
  const log: V2Log = (level, message, fields) => lines.push(JSON.stringify({ level, message, fields }));
  before(async () => {
    // A careless server: it quotes the Authorization header in every error message.
    cloud = await startFakeCloud({ apiKey: CLOUD_KEY, echoKeyInErrors: true, redirectDownloads: true });
  });
  afterEach(closeClients);
  after(() => cloud.close());

  it('GIVEN the stand-in THEN it really does echo the key, so the checks below can fail', async () => {
    const res = await fetch(`${cloud.url}/api/v2/jobs/nope`, {
      headers: { authorization: `Bearer ${CLOUD_KEY}` },
    });
    assert.match(await res.text(), new RegExp(CLOUD_KEY));
  });

  it('GIVEN errors whose messages quote the key THEN no error, log line or inspection of the client shows it', async () => {
    const client = cloudClient(cloud, { log, submitAttempts: 2 });
    const errors: unknown[] = [];
    await client.submit({ '1': { inputs: {} } } as never).catch((e: unknown) => errors.push(e));
    cloud.script.submitAnswers.push({ status: 500 }, { status: 500 });
    await client.submit(cloudWorkflow(1)).catch((e: unknown) => errors.push(e));
    await client
      .viewBytes({ filename: 'x.png', subfolder: 'no-such-asset', type: 'asset' })
      .catch((e: unknown) => errors.push(e));
    await client.cancel('no-such-job').catch((e: unknown) => errors.push(e));
    assert.equal(errors.length, 4);
    for (const e of errors) {
      assert.ok(e instanceof ComfyError, String(e));
      assert.ok(!everything(e).includes(CLOUD_KEY), everything(e));
    }
    assert.match(everything(errors[2]), /\[redacted\]/, 'the echoed key was there and was taken out');
    assert.match(everything(errors[3]), /\[redacted\]/);
    assert.ok(lines.length > 0, 'the retries were logged');
    assert.ok(!lines.join('\n').includes(CLOUD_KEY), lines.join('\n'));
    const shown = `${inspect(client, { depth: 10, showHidden: true })}${JSON.stringify(client)}`;
    assert.ok(!shown.includes(CLOUD_KEY), shown);
  });

  it('GIVEN a wrong key THEN the refusal, the backend condition and the doctor probe never show it', async () => {
    const client = cloudClient(cloud, { apiKey: WRONG_KEY, log });
    const error = await client.submit(cloudWorkflow(2)).catch((e: unknown) => e);
    assert.ok(error instanceof UnauthorizedError);
    assert.ok(!everything(error).includes(WRONG_KEY), everything(error));
    assert.equal(client.condition.state, 'unauthorized');
    assert.match(client.condition.detail ?? '', /\[redacted\]/);
    assert.ok(!JSON.stringify(client.condition).includes(WRONG_KEY));
    const probe = await client.probe();
    assert.deepEqual([probe.reachable, probe.keyValid], [true, false]);
    assert.ok(!JSON.stringify(probe).includes(WRONG_KEY));
    assert.ok(!lines.join('\n').includes(WRONG_KEY));
  });

  it('GIVEN a good key THEN the probe says the service is reachable and the key valid', async () => {
    const probe = await cloudClient(cloud).probe();
    assert.deepEqual([probe.reachable, probe.keyValid, probe.condition.state], [true, true, 'ready']);
  });

  it('GIVEN outputs behind signed URLs on another host THEN the key goes to the service only, never to the storage host', async () => {
    const client = cloudClient(cloud);
    const outcome = await (await client.submit(cloudWorkflow(3))).done;
    assert.equal(outcome.type, 'succeeded');
    const file = outcome.type === 'succeeded' ? outcome.outputs[0]?.file : undefined;
    const before = cloud.stats.signedAuth.length;
    assert.ok((await client.viewBytes(file!)).length > 0);
    assert.deepEqual(cloud.stats.signedAuth.slice(before), [undefined]);
  });
});
