import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { settled } from '../../helpers/app.ts';
import type { Harness } from './harness.ts';
import { EXPLICIT, NEUTRAL, type ScriptedSafety, startScriptedSafety } from './scripted-safety.ts';
import { errorOf, imagine, postJob, txt2imgGraph } from './requests.ts';

type Safety = { action: string; rule: string; scores: Record<string, number> | null; original_url?: string };
type Output = { id: string; url: string; hash: string | null; content_type: string; safety?: Safety | null };

describe('HTTP API: image safety on outputs', () => {
  let h: Harness;
  let strictKey: string;
  let safety: ScriptedSafety;
  before(async () => {
    safety = await startScriptedSafety();
    ({ h, strictKey } = safety);
  });
  after(() => h.close());

  /** Runs the fake's txt2img graph as `key` with the classifier answering `answer`; the job's outputs. */
  async function run(answer: Record<string, number>, key = h.key): Promise<Output[]> {
    safety.answer(answer);
    const res = await postJob(h, { workflow: txt2imgGraph() }, h.auth(key));
    assert.equal(res.status, 201);
    const { id } = (await res.json()) as { id: string };
    assert.equal((await settled(h.app, id)).state, 'succeeded');
    const job = await (await fetch(`${h.url}/api/v2/jobs/${id}`, { headers: h.auth(key) })).json();
    return (job as { outputs: Output[] }).outputs;
  }

  it('GIVEN a neutral image THEN its output carries the scores and action allow, and downloads as made', async () => {
    const [out] = await run(NEUTRAL);
    assert.deepEqual(out!.safety, {
      action: 'allow',
      rule: 'none',
      scores: { drawing: 0.03, hentai: 0, neutral: 0.97, porn: 0, sexy: 0 },
    });
    const got = await fetch(out!.url, { headers: h.auth() });
    assert.equal(got.headers.get('content-type'), 'image/png');
  });

  it('GIVEN an explicit image on a default key THEN the URL serves a blurred JPEG and only the owning key gets the original with ?original=1', async () => {
    const [out] = await run(EXPLICIT);
    assert.equal(out!.safety?.action, 'blur');
    assert.equal(out!.safety?.rule, 'explicit');
    assert.equal(out!.safety?.scores?.['porn'], 0.9);
    assert.equal(out!.safety?.original_url, `${out!.url}?original=1`);
    const shown = await fetch(out!.url, { headers: h.auth() });
    assert.equal(shown.status, 200);
    assert.equal(shown.headers.get('content-type'), 'image/jpeg');
    assert.match(shown.headers.get('content-disposition') ?? '', /\.blurred\.jpg/);
    const blurred = Buffer.from(await shown.arrayBuffer());
    assert.equal((await sharp(blurred).metadata()).format, 'jpeg');
    const original = await fetch(out!.safety!.original_url!, { headers: h.auth() });
    assert.equal(original.headers.get('content-type'), 'image/png');
    const other = await fetch(out!.safety!.original_url!, { headers: h.auth(strictKey) });
    assert.equal(other.status, 404, "another key never gets someone else's original");
  });

  it('GIVEN a key whose tier requires block THEN an explicit output is listed with its scores but refused with 403 safety_blocked (en and zh), and its hash is withheld', async () => {
    const [out] = await run(EXPLICIT, strictKey);
    assert.equal(out!.safety?.action, 'block');
    assert.equal(out!.hash, null);
    for (const url of [out!.url, `${out!.url}?original=1`]) {
      const res = await fetch(url, { headers: h.auth(strictKey) });
      assert.equal(res.status, 403);
      const error = await errorOf(res);
      assert.equal(error.code, 'safety_blocked');
      assert.match(error.message, /blocked by the image safety filter \(explicit\)/);
    }
    const zh = await fetch(out!.url, { headers: { ...h.auth(strictKey), 'Accept-Language': 'zh-CN' } });
    assert.match((await errorOf(zh)).message, /已被图片安全过滤器拦截/);
    const record = (await h.http.assets.get(out!.id))!;
    const meta = await (
      await fetch(`${h.url}/api/v2/assets/${out!.id}`, { headers: h.auth(strictKey) })
    ).json();
    assert.deepEqual([meta.hash, meta.safety?.action], [null, 'block'], 'the asset metadata says so too');
    const copy = await fetch(`${h.url}/api/v2/assets/from-hash`, {
      method: 'POST',
      headers: { ...h.auth(strictKey), 'content-type': 'application/json' },
      body: JSON.stringify({ hash: record.hash }),
    });
    assert.equal(copy.status, 404, 'no copy of a blocked output by its hash');
  });

  it('GIVEN a blurred output whose stand-in is no longer in memory (another process delivered it) THEN it is blurred again from the original', async () => {
    const [made] = await run(NEUTRAL);
    const original = (await h.http.assets.get(made!.id))!;
    const bytes = await h.http.assets.bytes(original);
    const record = await h.http.assets.put({
      owner: original.owner,
      bytes: bytes!,
      contentType: 'image/png',
      filePath: 'elsewhere_00001_.png',
      jobId: original.jobId,
      kind: 'image',
      safety: { action: 'blur', rule: 'suggestive', scores: { sexy: 0.9 } },
    });
    const res = await fetch(`${h.url}/api/v2/assets/${record.id}/content`, { headers: h.auth() });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/jpeg');
    const blurred = Buffer.from(await res.arrayBuffer());
    assert.deepEqual(Number(res.headers.get('content-length')), blurred.length);
    const part = await fetch(`${h.url}/api/v2/assets/${record.id}/content`, {
      headers: { ...h.auth(), Range: 'bytes=0-9' },
    });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 0-9/${blurred.length}`);
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), blurred.subarray(0, 10));
  });

  it('GIVEN the relay API THEN the job JSON carries each output’s safety too', async () => {
    safety.answer(EXPLICIT);
    const res = await imagine(h, { prompt: 'a fox --steps 2' });
    assert.equal(res.status, 202);
    const { id } = (await res.json()) as { id: string };
    assert.equal((await settled(h.app, id)).state, 'succeeded');
    const job = (await (await fetch(`${h.url}/api/relay/jobs/${id}`, { headers: h.auth() })).json()) as {
      outputs: Output[];
    };
    assert.equal(job.outputs[0]?.safety?.action, 'blur');
  });
});
