import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { htmlBehindPngHeader, needleImage, pixelBomb, smallPng, svgImage } from './bad-inputs.ts';
import { type Harness, startHarness } from './harness.ts';
import { errorOf, imagine, upload } from './requests.ts';

// Issue 14: the one-call API takes its input image as base64 or a data: URL, with the very checks
// (and the very answers) of a multipart upload.

const UPLOAD_MB = 0.05;
const IMG2IMG = { prompt: 'a fox --steps 2', template: 'sd15-img2img' };
const b64 = (bytes: Buffer) => bytes.toString('base64');

/** One way of sending an input image's bytes, and the answer it gives. */
interface InputForm {
  name: string;
  send(h: Harness, bytes: Buffer): Promise<Response>;
  accepted: number;
}

const FORMS: InputForm[] = [
  { name: 'multipart upload', send: (h, bytes) => upload(h, bytes), accepted: 201 },
  {
    name: 'image_base64',
    send: (h, bytes) => imagine(h, { ...IMG2IMG, image_base64: b64(bytes) }),
    accepted: 202,
  },
  {
    name: 'image_base64 as a data: URL',
    send: (h, bytes) => imagine(h, { ...IMG2IMG, image_base64: `data:image/png;base64,${b64(bytes)}` }),
    accepted: 202,
  },
  {
    name: 'image_url as a data: URL',
    send: (h, bytes) => imagine(h, { ...IMG2IMG, image_url: `data:image/png;base64,${b64(bytes)}` }),
    accepted: 202,
  },
];

const jobCount = async (h: Harness) =>
  ((await (await fetch(`${h.url}/api/relay/jobs`, { headers: h.auth() })).json()) as { jobs: unknown[] }).jobs
    .length;

describe('the one-call API: input image as base64 or a data: URL', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({
      config: { http: { limits: { uploadMb: UPLOAD_MB, uploadsPerMinute: 1000 } } },
    });
  });
  after(() => h.close());

  it('GIVEN a real PNG in each form THEN each is accepted, and a base64 job runs with it on ComfyUI', async () => {
    const png = await smallPng();
    const waited = await imagine(
      h,
      { ...IMG2IMG, image_base64: `\n${b64(png).replace(/(.{20})/g, '$1\n')}` },
      '?wait=true',
    );
    assert.equal(waited.status, 200, 'base64 wrapped over lines, as `base64` prints it, is read');
    assert.equal(waited.headers.get('content-type'), 'image/png');
    assert.equal(h.fakes[0]!.uploads().length, 1, 'the input image was uploaded to ComfyUI');
    for (const form of FORMS) {
      const res = await form.send(h, png);
      assert.equal(res.status, form.accepted, `${form.name}: ${await res.clone().text()}`);
    }
  });

  it('GIVEN the same bad bytes in every form THEN every form refuses them with the same status, code and message, and no job is made', async () => {
    const jobsBefore = await jobCount(h);
    const cases: [string, Buffer, number, string, RegExp][] = [
      ['too big', randomBytes(80 * 1024), 413, 'too_large', /larger than 0\.05 MB/],
      [
        'HTML behind a PNG header',
        htmlBehindPngHeader(),
        415,
        'unsupported_media_type',
        /PNG, JPEG, WebP or GIF/,
      ],
      ['SVG', svgImage(), 415, 'unsupported_media_type', /PNG, JPEG, WebP or GIF/],
      ['empty', Buffer.alloc(0), 415, 'unsupported_media_type', /PNG, JPEG, WebP or GIF/],
      ['1×100000 needle', await needleImage(), 422, 'invalid_request', /8192/],
      ['20000×20000 bomb', pixelBomb(), 422, 'invalid_request', /20000×20000/],
    ];
    for (const [name, bytes, status, code, message] of cases) {
      for (const form of FORMS) {
        const res = await form.send(h, bytes);
        assert.equal(res.status, status, `${name} via ${form.name}`);
        const error = await errorOf(res);
        assert.equal(error.code, code, `${name} via ${form.name}`);
        assert.match(error.message, message, `${name} via ${form.name}`);
      }
    }
    assert.equal(await jobCount(h), jobsBefore);
  });

  it('GIVEN text that is not base64, or a data: URL of another type or not in base64 THEN a 4xx naming the problem, in English or Chinese', async () => {
    const png = b64(await smallPng());
    const fields = (text: string) => [{ image_base64: text }, { image_url: text }];
    const cases: [string, string[], number, string, RegExp, RegExp][] = [
      [
        'not base64',
        ['%%% not base64 %%%', `${png.slice(0, -2)}*`, 'abcde'],
        400,
        'invalid_request',
        /not valid base64/,
        /不是有效的 base64/,
      ],
      [
        'a data: URL of HTML',
        [`data:text/html;base64,${png}`],
        415,
        'unsupported_media_type',
        /says "text\/html"/,
        /“text\/html”/,
      ],
      [
        'a data: URL of SVG',
        [`data:image/svg+xml;base64,${b64(svgImage())}`],
        415,
        'unsupported_media_type',
        /image\/svg\+xml/,
        /image\/svg\+xml/,
      ],
      [
        'a data: URL not in base64',
        ['data:image/png,rawbytes', 'data:image/png;charset=utf-8,x'],
        400,
        'invalid_request',
        /data:image\/png;base64,/,
        /data:image\/png;base64,/,
      ],
    ];
    for (const [name, texts, status, code, en, zh] of cases) {
      for (const text of texts) {
        for (const field of isData(text) ? fields(text) : [{ image_base64: text }]) {
          const res = await imagine(h, { ...IMG2IMG, ...field });
          assert.equal(res.status, status, `${name}: ${JSON.stringify(field).slice(0, 60)}`);
          const error = await errorOf(res);
          assert.equal(error.code, code, name);
          assert.match(error.message, en, name);
          assert.equal(error.details?.['field'], Object.keys(field)[0]);
          const inChinese = await errorOf(
            await imagine(h, { ...IMG2IMG, ...field }, '', { 'accept-language': 'zh-CN' }),
          );
          assert.match(inChinese.message, zh, `${name} (zh)`);
        }
      }
    }
  });

  it('GIVEN two input images, or a base64 body past the JSON limit besides its image THEN refused before any work', async () => {
    const png = b64(await smallPng());
    const two = await imagine(h, { ...IMG2IMG, image_base64: png, image_asset: 'x' });
    assert.equal(two.status, 400);
    assert.match((await errorOf(two)).message, /one input image/);
    const padded = await imagine(h, { ...IMG2IMG, image_base64: png, negative: 'n'.repeat(2060 * 1024) });
    assert.equal(padded.status, 413);
    assert.match((await errorOf(padded)).message, /larger than 2048 KB/);
    const huge = await imagine(h, { ...IMG2IMG, image_base64: 'A'.repeat(4 * 1024 * 1024) });
    assert.equal(huge.status, 413, 'the body limit leaves room for one upload as base64, not more');
    assert.match((await errorOf(huge)).message, /2048 KB of JSON plus one input image of 0\.05 MB/);
  });
});

const isData = (text: string) => text.startsWith('data:');
