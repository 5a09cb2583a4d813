import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { t } from '../../../src/core/i18n/catalogs.ts';
import { pixelBomb, smallPng } from './bad-inputs.ts';
import { type Harness, startHarness } from './harness.ts';
import { errorOf, imagine, postJob, txt2imgGraph, upload } from './requests.ts';

const hs: Harness[] = [];
const servers: Server[] = [];
const harness = async (o: Parameters<typeof startHarness>[0] = {}) => {
  const h = await startHarness(o);
  hs.push(h);
  return h;
};

/** A local server answering every GET with `body` as `type`, counting the requests it got. */
async function fileServer(body: Buffer, type: string): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((_req, res) => {
    hits++;
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length });
    res.end(body);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/in.png`, hits: () => hits };
}

const jobsOf = async (h: Harness) =>
  (
    (await (await fetch(`${h.url}/api/relay/jobs`, { headers: h.auth() })).json()) as {
      jobs: { id: string }[];
    }
  ).jobs;

describe('issue 12: submitting jobs', () => {
  afterEach(async () => {
    await Promise.all(hs.splice(0).map((h) => h.close()));
    for (const s of servers.splice(0)) s.close();
  });

  it('#2 GIVEN a refused submit THEN its Idempotency-Key stays free, and the key is spent only by a job', async () => {
    const h = await harness();
    const key = { 'Idempotency-Key': 'retry-me' };
    const unknownNode = { workflow: { '1': { class_type: 'NoSuchNode', inputs: {} } } };
    assert.equal((await postJob(h, unknownNode, key)).status, 422);
    const ok = await postJob(h, { workflow: txt2imgGraph() }, key);
    assert.equal(ok.status, 201, 'the key was not used up by the refusal');
    const relayKey = { 'Idempotency-Key': 'relay-retry' };
    assert.equal((await imagine(h, { prompt: 'x', template: 'no-such-template' }, '', relayKey)).status, 400);
    assert.equal((await imagine(h, { prompt: 'a fox --steps 2' }, '', relayKey)).status, 202);
  });

  it('#2 GIVEN eight concurrent submits with one key THEN one 201 and seven 422 idempotency_key_reuse naming that job', async () => {
    const h = await harness();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        postJob(h, { workflow: txt2imgGraph() }, { 'Idempotency-Key': 'same' }),
      ),
    );
    const statuses = answers.map((r) => r.status).sort();
    assert.deepEqual(statuses, [201, 422, 422, 422, 422, 422, 422, 422]);
    const created = (await answers.find((r) => r.status === 201)!.json()) as { id: string };
    for (const r of answers.filter((a) => a.status === 422)) {
      const e = await errorOf(r);
      assert.equal(e.code, 'idempotency_key_reuse');
      assert.equal(e.details?.['job_id'], created.id);
    }
    assert.equal((await jobsOf(h)).length, 1);
  });

  it('#2 GIVEN the relay and a reused key THEN the same body replays the job, a different body is 422', async () => {
    const h = await harness();
    const key = { 'Idempotency-Key': 'relay-1' };
    const first = await imagine(h, { prompt: 'a fox --steps 2' }, '', key);
    assert.equal(first.status, 202);
    const parallel = await Promise.all(
      Array.from({ length: 4 }, () => imagine(h, { prompt: 'a fox --steps 2' }, '', key)),
    );
    assert.deepEqual(
      parallel.map((r) => r.status),
      [200, 200, 200, 200],
    );
    const different = await imagine(h, { prompt: 'a cat --steps 2' }, '', key);
    assert.equal(different.status, 422);
    assert.equal((await errorOf(different)).code, 'idempotency_key_reuse');
    assert.equal((await jobsOf(h)).length, 1);
    assert.equal((await imagine(h, { prompt: 'x' }, '', { 'Idempotency-Key': 'é'.repeat(2) })).status, 400);
    assert.notEqual(t('zh', 'jobs.duplicate'), 'jobs.duplicate', 'jobs.duplicate has a translation');
  });

  it('#5 GIVEN an input asset that is not an image (stored before checks) THEN v2 and relay jobs refuse it and nothing reaches ComfyUI', async () => {
    const h = await harness();
    const { id } = (await (await upload(h, await smallPng())).json()) as { id: string };
    const owner = (await h.http.assets.get(id))!.owner;
    const html = await h.http.assets.put({
      owner,
      bytes: Buffer.from('<html></html>'),
      contentType: 'image/png',
    });
    const graph = txt2imgGraph();
    graph['10'] = {
      class_type: 'LoadImage',
      inputs: { image: { __type: 'core/ASSET', info: { id: html.id } } },
    };
    const v2 = await postJob(h, { workflow: graph });
    assert.equal(v2.status, 422);
    const relay = await imagine(h, { prompt: 'x', template: 'sd15-img2img', image_asset: html.id });
    assert.equal(relay.status, 422);
    assert.equal(h.fakes[0]!.uploads().length, 0);
  });

  it('#7 GIVEN template "" or a workflow input nested 100,000 deep THEN 400, not 500', async () => {
    const h = await harness();
    const empty = await imagine(h, { prompt: 'x', template: '' });
    assert.equal(empty.status, 400);
    const deep = `{"workflow":{"1":{"class_type":"X","inputs":{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}}}}`;
    const res = await postJob(h, deep);
    assert.equal(res.status, 400);
    assert.match((await errorOf(res)).message, /nested more than 64 levels/);
    assert.equal((await imagine(h, `{"prompt":${'['.repeat(50_000)}`)).status, 400);
    assert.equal((await fetch(`${h.url}/healthz`)).status, 200);
  });

  it('#9 GIVEN a webhook whose host resolves to loopback THEN the submit is refused at once, no job made', async () => {
    const h = await harness();
    for (const hook of [
      'http://localhost.:9/hook',
      'http://[::ffff:7f00:1]:9/hook',
      'http://[64:ff9b::7f00:1]/',
    ]) {
      const res = await imagine(h, { prompt: 'a fox --steps 2', webhook_url: hook });
      assert.equal(res.status, 400, hook);
      const e = await errorOf(res);
      assert.equal(e.code, 'invalid_url');
      assert.equal(e.details?.['reason'], 'url.private', hook);
    }
    assert.equal((await jobsOf(h)).length, 0);
  });

  it('#9 GIVEN image_url THEN it is fetched only after the template and quota checks pass, and must be an image', async () => {
    const h = await harness({
      keyTier: 'one',
      config: {
        http: { allowPrivateUrls: true },
        quotas: { tiers: [{ name: 'one', match: { apiKeyTier: 'one' }, perWindow: 1, windowSeconds: 3600 }] },
      },
    });
    const image = await fileServer(await smallPng(), 'image/png');
    const noImage = await imagine(h, { prompt: 'x', template: 'sd15-txt2img', image_url: image.url });
    assert.equal(noImage.status, 422);
    const unknown = await imagine(h, { prompt: 'x', template: 'nope', image_url: image.url });
    assert.equal(unknown.status, 400);
    assert.equal(image.hits(), 0, 'no fetch for a request refused by its template');

    const html = await fileServer(Buffer.from('<!doctype html><p>hi</p>'), 'text/html; charset=utf-8');
    const notImage = await imagine(h, { prompt: 'x', template: 'sd15-img2img', image_url: html.url });
    assert.equal(notImage.status, 400);
    assert.match((await errorOf(notImage)).message, /did not give an image \(it answered text\/html\)/);
    const bomb = await fileServer(pixelBomb(), 'image/png');
    assert.equal(
      (await imagine(h, { prompt: 'x', template: 'sd15-img2img', image_url: bomb.url })).status,
      422,
    );

    const ok = await imagine(h, { prompt: 'x --steps 2', template: 'sd15-img2img', image_url: image.url });
    assert.equal(ok.status, 202);
    assert.equal(image.hits(), 1);
    const over = await imagine(h, { prompt: 'y --steps 2', template: 'sd15-img2img', image_url: image.url });
    assert.equal(over.status, 429);
    assert.equal(image.hits(), 1, 'no fetch for a request over quota');
  });
});
