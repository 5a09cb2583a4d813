import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { RelayJobWithFiles } from '../../../src/adapters/http/schemas.ts';
import { smallPng } from './bad-inputs.ts';
import { type Harness, startHarness } from './harness.ts';
import { EXPLICIT, NEUTRAL, type ScriptedSafety, startScriptedSafety } from './scripted-safety.ts';
import { errorOf, imagine } from './requests.ts';

// Issue 14: `?wait=true` answers with the outputs as base64 besides the binary and URL forms, within a
// size cap; and `model` names an installed checkpoint over HTTP as `--model` does on the command line.

interface Base64Answer {
  id: string;
  state: string;
  seed: number;
  outputs: { url: string; content_type: string }[];
  files: {
    filename: string;
    mime: string;
    kind: string;
    base64: string | null;
    safety?: Record<string, unknown>;
  }[];
  jobs?: Base64Answer[];
}

const jobCount = async (h: Harness) =>
  ((await (await fetch(`${h.url}/api/relay/jobs`, { headers: h.auth() })).json()) as { jobs: unknown[] }).jobs
    .length;

const download = async (h: Harness, url: string) =>
  Buffer.from(await (await fetch(url, { headers: h.auth() })).arrayBuffer());

describe('the one-call API: outputs as base64', () => {
  let h: Harness;
  let strictKey: string;
  let safety: ScriptedSafety;
  before(async () => {
    safety = await startScriptedSafety();
    ({ h, strictKey } = safety);
  });
  after(() => h.close());

  it('GIVEN wait=true&response=base64 or Accept: application/json THEN the job as JSON with each output as base64, the same bytes as its URL', async () => {
    const asked = await imagine(h, { prompt: 'a fox --steps 2', seed: 7 }, '?wait=true&response=base64');
    assert.equal(asked.status, 200);
    assert.match(asked.headers.get('content-type') ?? '', /application\/json/);
    assert.ok(asked.headers.get('x-job-id'));
    const body = (await asked.json()) as Base64Answer;
    RelayJobWithFiles.parse(body);
    assert.equal(body.state, 'succeeded');
    assert.equal(body.seed, 7);
    assert.equal(body.files.length, 1);
    const [file] = body.files;
    assert.deepEqual(Object.keys(file!).sort(), ['base64', 'filename', 'kind', 'mime', 'safety']);
    assert.deepEqual(file!.safety, {
      action: 'allow',
      rule: 'none',
      scores: { ...NEUTRAL, hentai: 0, porn: 0, sexy: 0 },
    });
    assert.equal(file!.mime, 'image/png');
    assert.equal(file!.kind, 'image');
    assert.match(file!.filename, /\.png$/);
    const bytes = Buffer.from(file!.base64!, 'base64');
    assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
    assert.deepEqual(bytes, await download(h, body.outputs[0]!.url));

    const byAccept = await imagine(h, { prompt: 'a fox --steps 2' }, '?wait=true', {
      accept: 'application/json',
    });
    assert.equal(byAccept.status, 200);
    const accepted = (await byAccept.json()) as Base64Answer;
    assert.equal(accepted.files.length, 1);
    assert.equal(Buffer.from(accepted.files[0]!.base64!, 'base64').subarray(1, 4).toString(), 'PNG');
  });

  it('GIVEN an explicit output THEN base64 gives the blurred JPEG on a default key and no bytes at all on a key whose tier blocks', async () => {
    safety.answer(EXPLICIT);
    try {
      const blurred = await imagine(h, { prompt: 'a fox --steps 2' }, '?wait=true&response=base64');
      const [shown] = ((await blurred.json()) as Base64Answer).files;
      assert.equal(shown!.safety?.['action'], 'blur');
      assert.equal(shown!.mime, 'image/jpeg');
      assert.match(shown!.filename, /\.blurred\.jpg$/);
      assert.equal((await sharp(Buffer.from(shown!.base64!, 'base64')).metadata()).format, 'jpeg');
      const binary = await imagine(h, { prompt: 'a fox --steps 2' }, '?wait=true');
      assert.equal(binary.headers.get('content-type'), 'image/jpeg', 'the binary form is blurred too');

      const blocked = await imagine(h, { prompt: 'a fox --steps 2' }, '?wait=true&response=base64', {
        Authorization: `Bearer ${strictKey}`,
      });
      assert.equal(blocked.status, 200);
      const text = await blocked.text();
      const [none] = (JSON.parse(text) as Base64Answer).files;
      assert.equal(none!.safety?.['action'], 'block');
      assert.equal(none!.base64, null);
      assert.doesNotMatch(text, /iVBORw0KGgo/, 'no PNG bytes anywhere in the answer');
      const asBinary = await imagine(h, { prompt: 'a fox --steps 2' }, '?wait=true', {
        Authorization: `Bearer ${strictKey}`,
      });
      assert.match(
        asBinary.headers.get('content-type') ?? '',
        /application\/json/,
        'a blocked image is not sent',
      );
    } finally {
      safety.answer(NEUTRAL);
    }
  });

  it('GIVEN response=url or no form THEN the job with URLs, or the image itself, as before', async () => {
    const urls = await imagine(h, { prompt: 'a fox --steps 2' }, '?wait=true&response=url', {
      accept: 'application/json',
    });
    assert.equal(urls.status, 200);
    const body = (await urls.json()) as Partial<Base64Answer>;
    assert.equal(body.files, undefined);
    assert.equal(body.outputs?.[0]?.content_type, 'image/png');
    const binary = await imagine(h, { prompt: 'a fox --steps 2' }, '?wait=true');
    assert.equal(binary.headers.get('content-type'), 'image/png');
  });

  it('GIVEN an unknown response form THEN 400 and no job made', async () => {
    const before = await jobCount(h);
    const res = await imagine(h, { prompt: 'a fox --steps 2' }, '?wait=true&response=zip');
    assert.equal(res.status, 400);
    assert.match((await errorOf(res)).message, /binary, url or base64/);
    assert.equal(await jobCount(h), before);
  });

  it('GIVEN --n 2 on a template without a batch and a base64 input THEN each job comes back with its own files', async () => {
    const image_base64 = (await smallPng()).toString('base64');
    const res = await imagine(
      h,
      { prompt: 'a fox --steps 2 --n 2', template: 'sd15-img2img', seed: 41, image_base64 },
      '?wait=true&response=base64',
    );
    assert.equal(res.status, 200);
    const body = (await res.json()) as Base64Answer;
    assert.deepEqual(
      body.jobs?.map((j) => [j.seed, j.files.length]),
      [
        [41, 1],
        [42, 1],
      ],
    );
    assert.deepEqual(body.files, body.jobs![0]!.files);
  });
});

describe('the one-call API: response cap and installed models', () => {
  const MODELS = { checkpoints: ['dreamshaper_8.safetensors', 'realisticVision_v51.safetensors'] };
  let h: Harness;
  before(async () => {
    h = await startHarness({
      fake: { models: MODELS },
      config: { http: { limits: { base64ResponseMb: 0.0001 } } },
    });
  });
  after(() => h.close());

  const checkpoints = () =>
    h.fakes[0]!.requests.filter((r) => r.method === 'POST' && /\/prompt$/.test(r.path)).map((r) => {
      const graph = (
        r.json as { prompt: Record<string, { class_type: string; inputs: Record<string, unknown> }> }
      ).prompt;
      return Object.values(graph).find((n) => n.class_type === 'CheckpointLoaderSimple')?.inputs['ckpt_name'];
    });

  it('GIVEN model or --model naming an installed checkpoint THEN ComfyUI runs that checkpoint', async () => {
    const typed = await imagine(h, { prompt: 'a fox --steps 2', model: 'realisticVision_v51' }, '?wait=true');
    assert.equal(typed.status, 200, await typed.clone().text());
    const flag = await imagine(h, { prompt: 'a fox --steps 2 --model dreamshaper' }, '?wait=true');
    assert.equal(flag.status, 200, await flag.clone().text());
    assert.deepEqual(checkpoints(), ['realisticVision_v51.safetensors', 'dreamshaper_8.safetensors']);
  });

  it('GIVEN a model that is not installed THEN a 4xx naming what is, and nothing sent to ComfyUI', async () => {
    const sent = checkpoints().length;
    const res = await imagine(h, { prompt: 'a fox --steps 2', model: 'zzz_unknown_xl' });
    assert.ok(res.status >= 400 && res.status < 500, String(res.status));
    assert.match((await errorOf(res)).message, /dreamshaper_8|realisticVision_v51/);
    assert.equal(checkpoints().length, sent);
  });

  it('GIVEN outputs past base64ResponseMb THEN 413 saying to use the URL form, with the job whose URLs still work', async () => {
    const ask = { prompt: 'a fox --steps 2', model: 'dreamshaper_8' };
    const res = await imagine(h, ask, '?wait=true&response=base64');
    assert.equal(res.status, 413, await res.clone().text());
    const error = await errorOf(res);
    assert.equal(error.code, 'response_too_large');
    assert.match(error.message, /response=url/);
    const job = error.details?.['job'] as { id: string; state: string; outputs: { url: string }[] };
    assert.equal(job.state, 'succeeded');
    assert.equal((await download(h, job.outputs[0]!.url)).subarray(1, 4).toString(), 'PNG');
    const zh = await imagine(h, ask, '?wait=true&response=base64', {
      'accept-language': 'zh-CN',
    });
    assert.equal(zh.status, 413);
    const inChinese = (await errorOf(zh)).message;
    assert.match(inChinese, /response=url/);
    assert.match(inChinese, /[\u4e00-\u9fff]/);
  });
});
