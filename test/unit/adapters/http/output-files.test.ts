import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { outputFiles } from '../../../../src/adapters/http/output-files.ts';
import type { Env } from '../../../../src/adapters/http/context.ts';
import { outputLinks } from '../../../../src/core/jobs/output-links.ts';
import type { JobRecord } from '../../../../src/core/jobs/types.ts';
import { err, ok } from '../../../../src/shared/result.ts';

const DAY = 24 * 3600_000;
const T0 = Date.UTC(2026, 0, 1);
const VIDEO = Buffer.from(Array.from({ length: 300 }, (_, i) => i % 251));
const AUDIO = Buffer.from('fLaC-and-then-some-audio');

function setup() {
  let now = T0;
  const links = outputLinks({
    baseUrl: 'http://relay.test',
    secret: Buffer.alloc(32, 1),
    ttlMs: 7 * DAY,
    retentionMs: 30 * DAY,
    now: () => now,
  });
  const job = {
    id: 'job0000001',
    finishedAt: T0,
    updatedAt: T0,
    outputs: [
      { node: '9', kind: 'text', text: 'a caption' },
      { node: '10', kind: 'video', filename: 'clip.mp4', subfolder: 'video', type: 'output' },
      { node: '11', kind: 'image', filename: 'nsfw.png', type: 'output' },
      { node: '12', kind: 'audio', filename: 'song.flac', type: 'output' },
    ],
    safety: [{ output: 1, filename: 'nsfw.png', action: 'block', rule: 'explicit' }],
  } as unknown as JobRecord;
  const jobs = new Map([[job.id, job]]);
  let backendUp = true;
  const read: string[] = [];
  const routes = outputFiles({
    links,
    jobs: { get: async (id) => jobs.get(id) },
    results: {
      async read(j) {
        read.push(...(j.outputs ?? []).map((o) => o.filename ?? ''));
        if (!backendUp) return err({ code: 'results.unavailable', params: { id: j.id } });
        const files = (j.outputs ?? []).map((o) => ({
          node: o.node,
          kind: o.kind as 'video',
          filename: o.filename!,
          mime: o.filename!.endsWith('.mp4') ? 'video/mp4' : 'audio/flac',
          bytes: o.filename!.endsWith('.mp4') ? VIDEO : AUDIO,
        }));
        return ok({ files, texts: [] });
      },
    },
  });
  const app = new Hono<Env>().route('/files', routes);
  const get = (url: string, headers: Record<string, string> = {}) =>
    app.request(url.replace('http://relay.test', 'http://localhost'), { headers });
  return {
    links,
    job,
    jobs,
    read,
    get,
    link: (index: number) =>
      links.outputLink(job, index)?.url ?? `http://relay.test/files/${job.id}/${index}`,
    advance: (ms: number) => (now += ms),
    down: () => (backendUp = false),
  };
}

const errorOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; message: string } }).error;

describe('GET /files/:job/:index (signed output links)', () => {
  it('GIVEN a valid link THEN exactly that file is read and served whole, sandboxed, by its name', async () => {
    const s = setup();
    const res = await s.get(s.link(0));
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), VIDEO);
    assert.equal(res.headers.get('content-type'), 'video/mp4');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.match(res.headers.get('content-security-policy') ?? '', /sandbox/);
    assert.match(res.headers.get('content-disposition') ?? '', /^inline; filename="?clip\.mp4"?$/);
    assert.deepEqual(s.read, ['clip.mp4']);
  });

  it('GIVEN a range THEN that part comes with 206, and an impossible one with 416', async () => {
    const s = setup();
    const part = await s.get(s.link(0), { range: 'bytes=10-19' });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 10-19/${VIDEO.length}`);
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), VIDEO.subarray(10, 20));
    const none = await s.get(s.link(0), { range: 'bytes=999-' });
    assert.equal(none.status, 416);
  });

  it('GIVEN a tampered signature or another index THEN 404 link_invalid, in Chinese when asked', async () => {
    const s = setup();
    const url = new URL(s.link(2));
    const sig = url.searchParams.get('sig')!;
    url.searchParams.set('sig', `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`);
    const tampered = await s.get(url.toString());
    assert.equal(tampered.status, 404);
    assert.equal((await errorOf(tampered)).code, 'link_invalid');
    const other = await s.get(s.link(2).replace('/2?', '/0?'), { 'accept-language': 'zh-CN' });
    assert.equal(other.status, 404);
    const e = await errorOf(other);
    assert.equal(e.code, 'link_invalid');
    assert.match(e.message, /链接无效/);
    assert.deepEqual(s.read, [], 'nothing read for a bad link');
  });

  it('GIVEN an expired link THEN 410 link_expired', async () => {
    const s = setup();
    const url = s.link(0);
    s.advance(7 * DAY);
    const res = await s.get(url);
    assert.equal(res.status, 410);
    assert.equal((await errorOf(res)).code, 'link_expired');
  });

  it('GIVEN a file the safety stage blocked THEN 403 safety_blocked, even with a genuine signature', async () => {
    const s = setup();
    assert.equal(s.links.outputLink(s.job, 1), undefined, 'no link is made for it');
    // A link signed before the decision (or by a buggy caller) still does not serve it.
    const forged = outputLinks({
      baseUrl: 'http://relay.test',
      secret: Buffer.alloc(32, 1),
      ttlMs: DAY,
      retentionMs: 30 * DAY,
      now: () => T0,
    }).outputLink({ ...s.job, safety: undefined }, 1)!;
    const res = await s.get(forged.url);
    assert.equal(res.status, 403);
    assert.equal((await errorOf(res)).code, 'safety_blocked');
    assert.deepEqual(s.read, []);
  });

  it('GIVEN a deleted job, a missing job or an index past its files THEN 410 file_gone', async () => {
    const s = setup();
    const url = s.link(0);
    s.jobs.set(s.job.id, { ...s.job, deletedAt: T0 + 1 });
    assert.equal((await s.get(url)).status, 410);
    s.jobs.delete(s.job.id);
    const gone = await s.get(url);
    assert.equal(gone.status, 410);
    assert.equal((await errorOf(gone)).code, 'file_gone');
    s.jobs.set(s.job.id, s.job);
    assert.equal((await s.get(s.link(7))).status, 410);
  });

  it('GIVEN the backend holding the file does not answer THEN 404 file_unavailable, not a 5xx', async () => {
    const s = setup();
    s.down();
    const res = await s.get(s.link(2));
    assert.equal(res.status, 404);
    assert.equal((await errorOf(res)).code, 'file_unavailable');
  });
});
