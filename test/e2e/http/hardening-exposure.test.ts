import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { promisify } from 'node:util';
import { afterEach, describe, it } from 'node:test';
import { smallPng } from './bad-inputs.ts';
import { type Harness, readSse, startHarness } from './harness.ts';
import { errorOf, imagine, postJob, txt2imgGraph, upload } from './requests.ts';

const run = promisify(execFile);
const hs: Harness[] = [];
const harness = async (o: Parameters<typeof startHarness>[0] = {}) => {
  const h = await startHarness(o);
  hs.push(h);
  return h;
};

/** A raw GET with any Host header (fetch will not send a forged one). */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('issue 12: exposing the server', () => {
  afterEach(async () => {
    await Promise.all(hs.splice(0).map((h) => h.close()));
  });

  it('#3 GIVEN no keys THEN other web sites cannot create, upload or cancel, and a rebinding Host is refused', async () => {
    const h = await harness({ noKey: true });
    const evil = { Origin: 'http://evil.example', 'Sec-Fetch-Site': 'cross-site' };
    const simple = await fetch(`${h.url}/api/relay/imagine`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', Origin: 'http://evil.example' },
      body: JSON.stringify({ prompt: 'a fox --steps 2' }),
    });
    assert.equal(simple.status, 403);
    assert.match((await errorOf(simple)).message, /other web sites/);
    assert.equal((await imagine(h, { prompt: 'a fox --steps 2' }, '', evil)).status, 403);
    assert.equal((await imagine(h, { prompt: 'a fox' }, '', { 'Sec-Fetch-Site': 'same-site' })).status, 403);
    assert.equal((await upload(h, await smallPng(), {}, 'in.png', evil)).status, 403);
    assert.equal((await postJob(h, { workflow: txt2imgGraph() }, { Origin: 'null' })).status, 403);

    const own = await imagine(h, { prompt: 'a fox --steps 2' }, '', {
      Origin: h.url,
      'Sec-Fetch-Site': 'same-origin',
    });
    assert.equal(own.status, 202, 'the page itself may');
    const { id } = (await own.json()) as { id: string };
    const cancel = await fetch(`${h.url}/api/relay/jobs/${id}/cancel`, { method: 'POST', headers: evil });
    assert.equal(cancel.status, 403);
    assert.equal((await imagine(h, { prompt: 'a fox --steps 2' })).status, 202, 'non-browser clients may');

    const rebound = await getWithHost(`${h.url}/api/relay/jobs`, 'attacker.example:8787');
    assert.equal(rebound.status, 421);
    assert.match(rebound.body, /http\.publicUrl/);
    assert.equal((await getWithHost(`${h.url}/`, 'attacker.example')).status, 421);
    for (const host of ['localhost:1', '127.0.0.1', '[::1]:8787'])
      assert.equal((await getWithHost(`${h.url}/api/relay/jobs`, host)).status, 200, host);
  });

  it('#3 GIVEN no keys and http.publicUrl THEN its host is accepted too', async () => {
    const h = await harness({ noKey: true, config: { http: { publicUrl: 'https://gpu.example.org' } } });
    assert.equal((await getWithHost(`${h.url}/api/relay/jobs`, 'gpu.example.org')).status, 200);
    assert.equal((await getWithHost(`${h.url}/api/relay/jobs`, 'other.example.org')).status, 421);
  });

  it('#8 GIVEN oversized fields and bodies THEN 400 or 413 naming the limit; the body limit speaks of the body', async () => {
    const h = await harness();
    assert.equal((await imagine(h, { prompt: 'x', negative: 'n'.repeat(5000) })).status, 400);
    assert.equal((await imagine(h, { prompt: 'p'.repeat(4001) })).status, 400);
    assert.equal((await imagine(h, { prompt: 'x', params: { sampler: 's'.repeat(2001) } })).status, 400);
    const huge = await imagine(h, { prompt: 'x', negative: 'n'.repeat(9 * 1024 * 1024) });
    assert.equal(huge.status, 413);
    const message = (await errorOf(huge)).message;
    assert.match(message, /request body is larger than 2048 KB/);
    assert.doesNotMatch(message, /file/);
  });

  it('#8 GIVEN per-key limits THEN uploads per minute, stored uploads and open streams answer 429 with Retry-After', async () => {
    const h = await harness({
      config: { http: { limits: { uploadsPerMinute: 4, assetsPerKey: 2, streamsPerKey: 2 } } },
    });
    const png = await smallPng();
    const first = (await (await upload(h, png)).json()) as { id: string };
    assert.equal((await upload(h, png)).status, 201);
    const full = await upload(h, png);
    assert.equal(full.status, 429);
    assert.equal((await errorOf(full)).code, 'storage_quota_exceeded');
    assert.ok(Number(full.headers.get('retry-after')) > 0);
    await fetch(`${h.url}/api/v2/assets/${first.id}`, { method: 'DELETE', headers: h.auth() });
    assert.equal((await upload(h, png)).status, 201, 'a delete frees room');
    const tooFast = await upload(h, png);
    assert.equal(tooFast.status, 429);
    assert.equal((await errorOf(tooFast)).code, 'rate_limited');
    assert.ok(Number(tooFast.headers.get('retry-after')) >= 1);

    // The fake ComfyUI holds the job until the streams on it were counted.
    h.fakes[0]!.stall(true);
    const { id } = (await (await imagine(h, { prompt: 'slow --steps 30' })).json()) as { id: string };
    const events = () => fetch(`${h.url}/api/v2/jobs/${id}/events`, { headers: h.auth() });
    const open = [await events(), await events()];
    const third = await events();
    assert.equal(third.status, 429);
    assert.ok(Number(third.headers.get('retry-after')) >= 1);
    const waiting = await imagine(h, { prompt: 'held --steps 2' }, '?wait=true');
    assert.equal(waiting.status, 429, 'a held-open request counts as a stream');
    const jobs = (await (await fetch(`${h.url}/api/relay/jobs`, { headers: h.auth() })).json()) as {
      jobs: unknown[];
    };
    assert.equal(jobs.jobs.length, 1, 'and is refused before any job is made');
    await open[0]!.body!.cancel();
    h.fakes[0]!.stall(false);
    await readSse(open[1]!);
    const again = await events();
    assert.equal(again.status, 200, 'closed streams give their slots back');
    await again.body!.cancel();
  });

  it('#8 GIVEN six parallel 19 MB uploads THEN the process reads a few at once and memory stays bounded', async () => {
    const h = await harness();
    // The client runs in its own process: this process's RSS is then the server's alone. Its one body is
    // built once and sent six times over plain node:http (fetch's FormData re-encodes each one, slowly).
    const client = `
      const http = require('node:http');
      const boundary = 'comfyrelay-test-boundary';
      const body = Buffer.concat([
        Buffer.from('--' + boundary + '\\r\\nContent-Disposition: form-data; name="file"; filename="big.png"\\r\\n'
          + 'Content-Type: application/octet-stream\\r\\n\\r\\n'),
        Buffer.alloc(19 * 1024 * 1024, 7),
        Buffer.from('\\r\\n--' + boundary + '--\\r\\n'),
      ]);
      const headers = { Authorization: 'Bearer ' + process.argv[2], 'Content-Length': body.length,
        'Content-Type': 'multipart/form-data; boundary=' + boundary };
      const send = () => new Promise((done) => {
        const req = http.request(process.argv[1], { method: 'POST', headers }, (res) => {
          done(res.statusCode);
          res.resume();
        });
        req.on('error', () => done(0));
        req.end(body);
      });
      Promise.all(Array.from({ length: 6 }, send)).then((s) => console.log(JSON.stringify(s)));`;
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const { stdout } = await run(process.execPath, ['-e', client, `${h.url}/api/v2/assets`, h.key]);
    clearInterval(sampler);
    const statuses = JSON.parse(stdout) as number[];
    assert.ok(
      statuses.every((s) => s === 415 || s === 429),
      statuses.join(),
    );
    assert.ok(statuses.includes(429), 'some are told to come back');
    const grown = (peak - before) / 2 ** 20;
    assert.ok(grown < 300, `RSS grew ${Math.round(grown)} MB`);
    assert.equal((await fetch(`${h.url}/healthz`)).status, 200);
  });
});
