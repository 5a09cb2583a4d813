import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { settled } from '../../helpers/app.ts';
import { smallPng } from './bad-inputs.ts';
import { type Harness, startHarness } from './harness.ts';
import { errorOf, imagine, postJob, txt2imgGraph, upload } from './requests.ts';

const hs: Harness[] = [];
const harness = async (o: Parameters<typeof startHarness>[0] = {}) => {
  const h = await startHarness(o);
  hs.push(h);
  return h;
};

interface Page<T> {
  next_cursor: string | null;
  jobs?: T[];
  assets?: T[];
}

describe('issue 12: the rest of the surface (#10)', () => {
  afterEach(async () => {
    await Promise.all(hs.splice(0).map((h) => h.close()));
  });

  it('GIVEN the web page THEN it has a CSP with frame-ancestors none, and API answers have nosniff', async () => {
    const h = await harness();
    const page = await fetch(`${h.url}/`);
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    const api = await fetch(`${h.url}/api/relay/workflows`, { headers: h.auth() });
    assert.equal(api.headers.get('x-content-type-options'), 'nosniff');
  });

  it('GIVEN jobs and assets THEN they are listed a page at a time with a cursor', async () => {
    const h = await harness();
    const ids: string[] = [];
    for (const p of ['one', 'two', 'three'])
      ids.unshift(((await (await imagine(h, { prompt: `${p} --steps 2` })).json()) as { id: string }).id);
    const list = async (what: string, query: string) =>
      (await (await fetch(`${h.url}/api/relay/${what}${query}`, { headers: h.auth() })).json()) as Page<{
        id: string;
      }>;
    const first = await list('jobs', '?limit=2');
    assert.deepEqual(
      first.jobs!.map((j) => j.id),
      ids.slice(0, 2),
    );
    const second = await list('jobs', `?limit=2&cursor=${first.next_cursor}`);
    assert.deepEqual(
      second.jobs!.map((j) => j.id),
      ids.slice(2),
    );
    assert.equal(second.next_cursor, null);
    const bad = await fetch(`${h.url}/api/relay/jobs?cursor=nope`, { headers: h.auth() });
    assert.equal(bad.status, 400);
    assert.equal((await fetch(`${h.url}/api/relay/jobs?limit=0`, { headers: h.auth() })).status, 400);

    for (const id of ids) await settled(h.app, id);
    const png = await smallPng();
    for (let i = 0; i < 3; i++) await upload(h, png, { file_path: `in${i}.png` });
    // Three outputs and three uploads, newest first.
    const a1 = await list('assets', '?limit=4');
    assert.deepEqual(
      a1.assets!.slice(0, 3).map((a) => (a as { file_path?: string }).file_path),
      ['in2.png', 'in1.png', 'in0.png'],
    );
    const a2 = await list('assets', `?limit=4&cursor=${a1.next_cursor}`);
    assert.equal(a2.assets!.length, 2);
    assert.equal(a2.next_cursor, null);
  });

  it('GIVEN params.__proto__ or a self-linked workflow THEN both are refused like any other bad input', async () => {
    const h = await harness();
    const proto = await imagine(
      h,
      '{"prompt":"x","template":"sd15-txt2img","params":{"__proto__":{"steps":1}}}',
    );
    assert.equal(proto.status, 400);
    assert.match((await errorOf(proto)).message, /__proto__/);
    const graph = txt2imgGraph();
    graph['8']!.inputs['samples'] = ['8', 0];
    const selfLinked = await postJob(h, { workflow: graph });
    assert.equal(selfLinked.status, 422);
    const e = await errorOf(selfLinked);
    assert.equal(e.code, 'invalid_workflow');
    assert.match(e.message, /cycle through node 8/);
    const loop = txt2imgGraph();
    loop['4']!.inputs['ckpt_name'] = ['9', 0];
    assert.equal((await postJob(h, { workflow: loop })).status, 422);
  });

  it('GIVEN /metrics THEN without metricsKey only this machine (not a proxy) reads it, with one only the bearer header', async () => {
    const open = await harness();
    assert.equal((await fetch(`${open.url}/metrics`)).status, 200);
    const proxied = await fetch(`${open.url}/metrics`, { headers: { 'X-Forwarded-For': '203.0.113.9' } });
    assert.equal(proxied.status, 403);
    assert.match(await proxied.text(), /http\.metricsKey/);
    const keyed = await harness({ config: { http: { metricsKey: 'm-key' } } });
    assert.equal((await fetch(`${keyed.url}/metrics?key=m-key`)).status, 401);
    assert.equal(
      (await fetch(`${keyed.url}/metrics`, { headers: { Authorization: 'Bearer m-key' } })).status,
      200,
    );
  });

  it('GIVEN extra_data.api_key_comfy_org THEN the secret is not stored with the job', async () => {
    const h = await harness();
    const secret = 'comfyui-SECRET-0123456789';
    const res = await postJob(h, { workflow: txt2imgGraph(), extra_data: { api_key_comfy_org: secret } });
    assert.equal(res.status, 201);
    const { id } = (await res.json()) as { id: string };
    const job = await settled(h.app, id);
    assert.doesNotMatch(JSON.stringify(job), /SECRET/);
    assert.doesNotMatch(JSON.stringify(await h.app.storage.jobs.get(id)), /SECRET/);
  });

  it('GIVEN any request THEN one access-log line at info: method, path without query, status, key id, duration', async () => {
    const h = await harness();
    const lines: Record<string, unknown>[] = [];
    const info = h.app.log.info.bind(h.app.log);
    h.app.log.info = ((obj: unknown, msg?: string) => {
      if (msg === 'http request') lines.push(obj as Record<string, unknown>);
      return info(obj as never, msg as never);
    }) as typeof h.app.log.info;
    await fetch(`${h.url}/api/relay/jobs?limit=3&token=hunter2`, { headers: h.auth() });
    await fetch(`${h.url}/api/relay/nothing-here`);
    const [listed, missing] = lines;
    assert.equal(listed?.['method'], 'GET');
    assert.equal(listed?.['path'], '/api/relay/jobs');
    assert.equal(listed?.['status'], 200);
    assert.equal(listed?.['key'], h.key.split('_')[1]);
    assert.equal(typeof listed?.['ms'], 'number');
    assert.equal(missing?.['status'], 401);
    assert.doesNotMatch(JSON.stringify(lines), /hunter2|cr_/);
  });
});
