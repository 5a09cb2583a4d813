import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Asset, Comfy, HashMismatch } from '@comfyorg/sdk';
import { ComfyLow, HashMismatch as LowHashMismatch } from '@comfyorg/sdk/low';
import { settled } from '../../helpers/app.ts';
import { smallPng } from './bad-inputs.ts';
import { type Harness, startHarness } from './harness.ts';
import { txt2imgGraph } from './requests.ts';

const PNG = '89504e470d0a1a0a';
const hs: Harness[] = [];

/** An SDK client for a harness, recording the status of every response it gets. */
async function sdkFor(options: Parameters<typeof startHarness>[0] = {}) {
  const h = await startHarness(options);
  hs.push(h);
  process.env['COMFY_BASE_URL'] = h.url;
  const statuses: number[] = [];
  const client = new Comfy({
    apiKey: h.key,
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      statuses.push(res.status);
      return res;
    },
  });
  return { h, client, statuses, low: new ComfyLow(h.url, h.key) };
}

describe('issue 12: the official @comfyorg/sdk beyond the happy path', () => {
  afterEach(async () => {
    await Promise.all(hs.splice(0).map((h) => h.close()));
  });

  it('GIVEN a full quota THEN client.submit() waits out the 429 and succeeds once the window refills, without IdempotencyKeyReuse', async () => {
    const { h, client, statuses } = await sdkFor({
      keyTier: 'burst',
      config: {
        quotas: {
          // The shortest window: the SDK sleeps its whole Retry-After (whole seconds) before trying again.
          tiers: [{ name: 'burst', match: { apiKeyTier: 'burst' }, perWindow: 1, windowSeconds: 1 }],
        },
      },
    });
    const first = await client.submit(client.workflows.fromJson(txt2imgGraph()));
    const second = await client.submit(client.workflows.fromJson(txt2imgGraph()));
    assert.notEqual(second.id, first.id);
    assert.ok(statuses.includes(429), `the window was full first: ${statuses.join()}`);
    assert.equal(statuses.at(-1), 201);
    assert.ok(!statuses.includes(422), 'no idempotency_key_reuse');
    // Finished first, so that the SDK's first poll sees the end (its next is half a second later).
    await settled(h.app, second.id);
    await second.result();
    assert.equal(second.status, 'succeeded');
  });

  it('GIVEN an output with a Chinese file name THEN the SDK downloads it', async () => {
    const { h, client } = await sdkFor();
    const wf = client.workflows.fromJson(txt2imgGraph());
    wf.setInput('9', 'filename_prefix', '灯塔/黄昏');
    const job = await client.submit(wf);
    await settled(h.app, job.id);
    await job.result();
    const [output] = job.getOutputs('9');
    assert.match(output!.name, /黄昏/);
    const bytes = await output!.toBytes();
    assert.equal(Buffer.from(bytes.subarray(0, 8)).toString('hex'), PNG);
  });

  it('GIVEN an upload with a wrong expected_hash THEN the SDK raises HashMismatch and no asset is made', async () => {
    const { h, low } = await sdkFor();
    const png = await smallPng();
    const wrong = `blake3:${'ab'.repeat(32)}`;
    // The SDK's own lazy asset, with a hasher that disagrees with the bytes (a corrupted local read).
    const asset = new Asset(low, {
      contentType: 'image/png',
      filePath: 'in.png',
      hasher: async () => wrong,
      opener: async () => new Blob([new Uint8Array(png)]),
    });
    await assert.rejects(asset.commit(), (e: Error) => e instanceof HashMismatch);
    await assert.rejects(
      low.postAssets(new Blob([new Uint8Array(png)]), 'image/png', 'in.png', { expectedHash: wrong }),
      (e: Error & { httpStatus?: number }) => e instanceof LowHashMismatch && e.httpStatus === 409,
    );
    const list = (await (await fetch(`${h.url}/api/relay/assets`, { headers: h.auth() })).json()) as {
      assets: unknown[];
    };
    assert.equal(list.assets.length, 0);
  });
});
