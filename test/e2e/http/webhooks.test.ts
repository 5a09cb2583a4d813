import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { waitFor } from '../../helpers/app.ts';
import { type Harness, startHarness } from './harness.ts';

const hs: Harness[] = [];
const servers: Server[] = [];

interface Received {
  headers: Record<string, string>;
  body: string;
}

async function receiver(failFirst: number): Promise<{ url: string; got: Received[] }> {
  const got: Received[] = [];
  let failures = failFirst;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      got.push({ headers: req.headers as Record<string, string>, body });
      res.statusCode = failures-- > 0 ? 503 : 204;
      res.end();
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got };
}

const imagine = (h: Harness, body: Record<string, unknown>) =>
  fetch(`${h.url}/api/relay/imagine`, {
    method: 'POST',
    headers: { ...h.auth(), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('webhooks and outbound URLs', () => {
  afterEach(async () => {
    await Promise.all(hs.splice(0).map((h) => h.close()));
    for (const s of servers.splice(0)) s.close();
  });

  it('GIVEN a webhook that fails once THEN it is retried and the delivery carries a valid Standard Webhooks signature', async () => {
    const h = await startHarness({ config: { http: { allowPrivateUrls: true } }, webhookDelayMs: 100 });
    hs.push(h);
    const hook = await receiver(1);
    const res = await imagine(h, { prompt: 'signed --steps 2', webhook_url: hook.url });
    assert.equal(res.status, 202);
    const { id } = (await res.json()) as { id: string };
    await waitFor(() => hook.got.length >= 2, 10_000, 'the retry');
    const [first, second] = hook.got as [Received, Received];
    assert.equal(first.headers['webhook-id'], second.headers['webhook-id'], 'the same message id on a retry');
    // Verify independently of the server's own code: HMAC-SHA256 over "id.timestamp.body" with the base64 key.
    const key = Buffer.from(h.webhookSecret.replace(/^whsec_/, ''), 'base64');
    const expected = createHmac('sha256', key)
      .update(`${second.headers['webhook-id']}.${second.headers['webhook-timestamp']}.${second.body}`)
      .digest('base64');
    assert.equal(second.headers['webhook-signature'], `v1,${expected}`);
    assert.ok(Math.abs(Number(second.headers['webhook-timestamp']) - Date.now() / 1000) < 30);
    const payload = JSON.parse(second.body) as {
      type: string;
      data: { id: string; status: string; outputs: unknown[] };
    };
    assert.equal(payload.type, 'job.succeeded');
    assert.equal(payload.data.id, id);
    assert.equal(payload.data.outputs.length, 1);
  });

  it('GIVEN allowPrivateUrls false THEN webhooks and image URLs at 127.0.0.1 or localhost are refused', async () => {
    const h = await startHarness();
    hs.push(h);
    const hook = await receiver(0);
    for (const body of [
      { prompt: 'x', webhook_url: hook.url },
      { prompt: 'x', webhook_url: hook.url.replace('127.0.0.1', 'localhost') },
      { prompt: 'x', webhook_url: 'file:///etc/passwd' },
      { prompt: 'x', template: 'sd15-img2img', image_url: `${hook.url}/in.png` },
      { prompt: 'x', template: 'sd15-img2img', image_url: 'http://[::1]:9/in.png' },
      { prompt: 'x', template: 'sd15-img2img', image_url: 'http://169.254.169.254/latest/meta-data' },
    ]) {
      const res = await imagine(h, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      const err = (await res.json()) as { error: { code: string; details: { reason: string } } };
      assert.equal(err.error.code, 'invalid_url');
      assert.match(err.error.details.reason, /url\.(private|scheme)/);
    }
    assert.equal(hook.got.length, 0);
  });
});
