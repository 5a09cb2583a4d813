import { PassThrough } from 'node:stream';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { runKeys } from '../../../src/cli/keys.ts';
import type { CliIo } from '../../../src/cli/io.ts';
import { pngBytes } from '../../fakes/comfy/images.ts';
import { waitFor } from '../../helpers/app.ts';
import { type Harness, readSse, stallAtProgress, startHarness } from './harness.ts';

const hs: Harness[] = [];
const harness = async (o: Parameters<typeof startHarness>[0] = {}) => {
  const h = await startHarness(o);
  hs.push(h);
  return h;
};
const imagine = (
  h: Harness,
  body: Record<string, unknown>,
  query = '',
  headers: Record<string, string> = {},
) =>
  fetch(`${h.url}/api/relay/imagine${query}`, {
    method: 'POST',
    headers: { ...h.auth(), 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

function io(env: Record<string, string>): CliIo & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    out: (t) => lines.push(t),
    err: (t) => lines.push(t),
    errRaw: () => {},
    isTTY: false,
    stderr: new PassThrough(),
    env,
    cwd: mkdtempSync(join(tmpdir(), 'keys-cli-')),
    locale: () => 'en',
    onInterrupt: () => () => {},
  };
}

describe('HTTP API', () => {
  afterEach(async () => {
    await Promise.all(hs.splice(0).map((h) => h.close()));
  });

  it('GIVEN keys THEN a missing or wrong key gets 401, a CLI-created key works, and a revoked one stops working', async () => {
    const h = await harness();
    assert.equal((await fetch(`${h.url}/api/relay/workflows`)).status, 401);
    const wrong = await fetch(`${h.url}/api/relay/workflows`, {
      headers: h.auth('cr_0123456789ab_wrongwrongwrongwrongwrong'),
    });
    assert.equal(wrong.status, 401);
    assert.equal(((await wrong.json()) as { error: { code: string } }).error.code, 'unauthorized');
    assert.equal((await fetch(`${h.url}/api/relay/workflows`, { headers: h.auth() })).status, 200);

    const env = {
      COMFYRELAY_DATA_DIR: h.app.config.dataDir,
      COMFYRELAY_WORKFLOWS_DIR: h.app.config.workflowsDir,
    };
    const create = io(env);
    assert.equal(await runKeys(['create', '--name', 'ci', '--tier', 'pro', '--json'], create), 0);
    const made = JSON.parse(create.lines[0]!) as { id: string; key: string };
    assert.equal((await fetch(`${h.url}/api/relay/jobs`, { headers: h.auth(made.key) })).status, 200);
    const list = io(env);
    assert.equal(await runKeys(['list'], list), 0);
    assert.ok(list.lines.some((l) => l.startsWith(made.id) && l.includes('pro')));
    // The secret is everything after `cr_<id>_` (base64url: it may hold `_` itself).
    const secret = made.key.split('_').slice(2).join('_');
    assert.ok(!list.lines.join('\n').includes(secret), 'the secret is never listed');
    assert.equal(await runKeys(['revoke', made.id], io(env)), 0);
    assert.equal((await fetch(`${h.url}/api/relay/jobs`, { headers: h.auth(made.key) })).status, 401);
  });

  it('GIVEN no key exists THEN the server is on loopback and needs none', async () => {
    const h = await harness({ noKey: true });
    assert.equal(h.http.openLoopback, true);
    assert.match(h.url, /^http:\/\/127\.0\.0\.1:/);
    assert.equal((await fetch(`${h.url}/api/relay/workflows`)).status, 200);
  });

  it('GIVEN a tier with one job per window THEN the second is refused with 429, Retry-After and the limit', async () => {
    const h = await harness({
      keyTier: 'trial',
      config: {
        quotas: {
          tiers: [{ name: 'trial', match: { apiKeyTier: 'trial' }, perWindow: 1, windowSeconds: 3600 }],
        },
      },
    });
    assert.equal((await imagine(h, { prompt: 'one --steps 2' }, '?wait=true')).status, 200);
    const refused = await imagine(h, { prompt: 'two --steps 2' });
    assert.equal(refused.status, 429);
    const retry = Number(refused.headers.get('retry-after'));
    assert.ok(retry > 3000 && retry <= 3601, String(retry));
    const body = (await refused.json()) as {
      error: { code: string; message: string; details: { limit: string } };
    };
    assert.equal(body.error.code, 'quota_exceeded');
    assert.equal(body.error.details.limit, 'window');
    assert.match(body.error.message, /1 jobs/);
  });

  it('GIVEN wait=true THEN the image comes back with its seed; with stream=true progress comes as SSE and the result last', async () => {
    const h = await harness({ progressIntervalMs: 50 });
    const waited = await imagine(h, { prompt: 'a fox --steps 3', seed: 42 }, '?wait=true');
    assert.equal(waited.status, 200);
    assert.equal(waited.headers.get('content-type'), 'image/png');
    assert.equal(waited.headers.get('x-seed'), '42');
    assert.equal(
      Buffer.from(await waited.arrayBuffer())
        .subarray(1, 4)
        .toString(),
      'PNG',
    );

    // The job is held at its first progress, so that it cannot end before progress went out.
    const stall = stallAtProgress(h);
    const streamed = await imagine(h, { prompt: 'a fox --steps 25' }, '?stream=true');
    assert.match(streamed.headers.get('content-type') ?? '', /text\/event-stream/);
    await stall.reached;
    stall.release();
    const frames = await readSse(streamed);
    const names = frames.map((f) => f.event);
    assert.ok(names.includes('progress'), names.join());
    assert.equal(names.at(-1), 'result');
    const result = frames.at(-1)!.data as { state: string; outputs: { type: string }[] };
    assert.equal(result.state, 'succeeded');
    assert.equal(result.outputs[0]?.type, 'image');
    const values = frames
      .filter((f) => f.event === 'progress')
      .map((f) => (f.data as { value: number }).value);
    assert.deepEqual(
      values,
      [...values].sort((a, b) => a - b),
      'progress never goes back',
    );
  });

  it('GIVEN --n 3 on an image template without a batch parameter THEN three jobs with successive seeds, all in `jobs`', async () => {
    const h = await harness();
    const form = new FormData();
    form.append(
      'file',
      new Blob([new Uint8Array(await pngBytes(64, 48, [30, 160, 90]))], { type: 'image/png' }),
      'in.png',
    );
    const upload = await fetch(`${h.url}/api/v2/assets`, { method: 'POST', headers: h.auth(), body: form });
    assert.equal(upload.status, 201);
    const asset = ((await upload.json()) as { id: string }).id;
    const body = { prompt: 'a fox --steps 2 --n 3', template: 'sd15-img2img', seed: 41, image_asset: asset };
    const res = await imagine(h, body, '?wait=true');
    assert.equal(res.status, 200);
    const answer = (await res.json()) as { id: string; jobs: { id: string; seed: number; state: string }[] };
    assert.deepEqual(
      answer.jobs.map((j) => [j.seed, j.state]),
      [
        [41, 'succeeded'],
        [42, 'succeeded'],
        [43, 'succeeded'],
      ],
    );
    assert.equal(answer.id, answer.jobs[0]?.id);
    const prompts = h.fakes[0]!.requests.filter((r) => r.method === 'POST' && /\/prompt$/.test(r.path));
    assert.equal(prompts.length, 3);
  });

  it('GIVEN a dropped event stream WHEN the client reconnects with Last-Event-ID THEN it gets exactly what it missed', async () => {
    const h = await harness({ progressIntervalMs: 50 });
    const fake = h.fakes[0]!;
    const stall = stallAtProgress(h);
    const job = (await (await imagine(h, { prompt: 'slow --steps 30' })).json()) as { id: string };
    await stall.reached;
    const url = `${h.url}/api/v2/jobs/${job.id}/events`;
    const first = await readSse(await fetch(url, { headers: h.auth() }), (f) => f.event === 'progress');
    const lastId = Number(first.at(-1)!.id);
    // While the client is away the job goes on to its next progress, where it is held again: the client
    // then gets what it missed, and the rest live once the job goes on.
    let missed = 0;
    const off = h.app.engine.onUpdate((u) => {
      if (u.job.id === job.id && u.progress && ++missed === 1) fake.stall(true);
    });
    stall.release();
    await waitFor(() => missed > 0, 10_000, 'progress while the client was away');
    off();
    const again = await fetch(url, { headers: { ...h.auth(), 'Last-Event-ID': String(lastId) } });
    fake.stall(false);
    const rest = await readSse(again);
    const ids = rest.map((f) => Number(f.id));
    assert.equal(ids[0], lastId + 1);
    assert.deepEqual(
      ids,
      ids.map((_, i) => lastId + 1 + i),
      'no gaps, no repeats',
    );
    assert.ok(rest.some((f) => f.event === 'progress'));
    assert.deepEqual(rest.at(-1)!.data, { status: 'succeeded', queue_position: null });
  });

  it('GIVEN the same Idempotency-Key twice THEN one job is made (relay replays it, Comfy v2 rejects the reuse)', async () => {
    const h = await harness();
    const a = await imagine(h, { prompt: 'once --steps 2' }, '', { 'Idempotency-Key': 'k-1' });
    const b = await imagine(h, { prompt: 'once --steps 2' }, '', { 'Idempotency-Key': 'k-1' });
    assert.equal(a.status, 202);
    assert.equal(b.status, 200);
    assert.equal(((await a.json()) as { id: string }).id, ((await b.json()) as { id: string }).id);
    const jobs = (await (await fetch(`${h.url}/api/relay/jobs`, { headers: h.auth() })).json()) as {
      jobs: unknown[];
    };
    assert.equal(jobs.jobs.length, 1);
    const wf = {
      '1': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'v1-5-pruned-emaonly.safetensors' } },
    };
    const post = () =>
      fetch(`${h.url}/api/v2/jobs`, {
        method: 'POST',
        headers: { ...h.auth(), 'content-type': 'application/json', 'Idempotency-Key': 'k-2' },
        body: JSON.stringify({ workflow: wf }),
      });
    const first = await post();
    assert.equal(first.status, 201);
    const again = await post();
    assert.equal(again.status, 422);
    const body = (await again.json()) as { error: { code: string; details: { job_id: string } } };
    assert.equal(body.error.code, 'idempotency_key_reuse');
    assert.equal(body.error.details.job_id, ((await first.json()) as { id: string }).id);
  });

  it('GIVEN an output asset THEN range requests return the slices with 206 and Content-Range', async () => {
    const h = await harness();
    const job = (await (
      await imagine(h, { prompt: 'ranges --steps 2' }, '?wait=true', { Accept: 'application/json' })
    ).json()) as { outputs: { id: string; size_bytes: number }[] };
    const { id, size_bytes: size } = job.outputs[0]!;
    const get = (range?: string) =>
      fetch(`${h.url}/api/v2/assets/${id}/content`, {
        headers: { ...h.auth(), ...(range ? { Range: range } : {}) },
      });
    const whole = Buffer.from(await (await get()).arrayBuffer());
    assert.equal(whole.length, size);
    const head = await get('bytes=0-7');
    assert.equal(head.status, 206);
    assert.equal(head.headers.get('content-range'), `bytes 0-7/${size}`);
    assert.deepEqual(Buffer.from(await head.arrayBuffer()), whole.subarray(0, 8));
    const tail = await get('bytes=-4');
    assert.deepEqual(Buffer.from(await tail.arrayBuffer()), whole.subarray(size - 4));
    const open = await get(`bytes=${size - 10}-`);
    assert.equal((await open.arrayBuffer()).byteLength, 10);
    assert.equal((await get(`bytes=${size}-`)).status, 416);
  });

  it('GIVEN the server THEN health, readiness, metrics, the OpenAPI document and template schemas are served', async () => {
    const h = await harness({ config: { http: { metricsKey: 'm-key' } } });
    assert.equal((await fetch(`${h.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${h.url}/readyz`)).status, 200);
    assert.equal((await fetch(`${h.url}/metrics`)).status, 401);
    const metrics = await fetch(`${h.url}/metrics`, { headers: { Authorization: 'Bearer m-key' } });
    assert.match(await metrics.text(), /# HELP/);
    const doc = (await (await fetch(`${h.url}/api/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    for (const p of [
      '/api/v2/jobs',
      '/api/v2/assets/{id}/content',
      '/api/relay/imagine',
      '/api/relay/workflows',
    ])
      assert.ok(doc.paths[p], p);
    const wfs = (await (await fetch(`${h.url}/api/relay/workflows`, { headers: h.auth() })).json()) as {
      workflows: { name: string; parameters: { properties: Record<string, unknown> } }[];
    };
    const sd15 = wfs.workflows.find((w) => w.name === 'sd15-txt2img')!;
    assert.ok(sd15.parameters.properties['steps']);
    const bad = await imagine(h, { prompt: 'x', template: 'sd15-txt2img', params: { steps: 'many' } });
    assert.equal(bad.status, 400);
    const page = await fetch(`${h.url}/`);
    assert.match(await page.text(), /<title>ComfyRelay<\/title>/);
    h.fakes[0]!.failHttp('/', 500);
    await h.fakes[0]!.close();
    await waitFor(async () => (await fetch(`${h.url}/readyz`)).status === 503, 10_000, 'readyz answers 503');
  });
});
