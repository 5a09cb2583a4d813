import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createBLAKE3 } from 'hash-wasm';
import { settled } from '../../helpers/app.ts';
import { htmlBehindPngHeader, needleImage, pixelBomb, smallPng, svgImage } from './bad-inputs.ts';
import { type Harness, startHarness } from './harness.ts';
import { errorOf, postJob, txt2imgGraph, upload } from './requests.ts';

const blake3 = async (bytes: Uint8Array) => {
  const h = await createBLAKE3();
  h.init();
  h.update(bytes);
  return `blake3:${h.digest()}`;
};

describe('issue 12: assets served and stored safely', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('#1 GIVEN an output from a Chinese filename_prefix THEN it downloads with an RFC 6266 Content-Disposition and an ASCII fallback', async () => {
    const res = await postJob(h, { workflow: txt2imgGraph('灯塔/夜景') });
    assert.equal(res.status, 201);
    const { id } = (await res.json()) as { id: string };
    assert.equal((await settled(h.app, id)).state, 'succeeded');
    const job = (await (await fetch(`${h.url}/api/v2/jobs/${id}`, { headers: h.auth() })).json()) as {
      outputs: { url: string; name: string }[];
    };
    assert.match(job.outputs[0]!.name, /夜景/);
    const content = await fetch(job.outputs[0]!.url, { headers: h.auth() });
    assert.equal(content.status, 200);
    const disposition = content.headers.get('content-disposition') ?? '';
    assert.match(
      disposition,
      /^inline; filename="\?\?_00001_\.png"; filename\*=UTF-8''%E5%A4%9C%E6%99%AF_00001_\.png$/,
    );
  });

  it('#1 GIVEN CR/LF in file_path or content_type THEN the upload is refused with 422, never a 500', async () => {
    const png = await smallPng();
    const crlfPath = await upload(h, png, { file_path: 'a\r\nSet-Cookie: x=1.png' });
    assert.equal(crlfPath.status, 422);
    assert.match((await errorOf(crlfPath)).message, /control characters/);
    const crlfType = await upload(h, png, { content_type: 'image/png\r\nX-Evil: 1' });
    assert.equal(crlfType.status, 422);
    const chinese = await upload(h, png, { file_path: '输入/图片.png' });
    assert.equal(chinese.status, 201);
    const asset = (await chinese.json()) as { url: string };
    const got = await fetch(asset.url, { headers: h.auth() });
    assert.equal(got.status, 200);
    assert.match(got.headers.get('content-disposition') ?? '', /filename\*=UTF-8''%E5%9B%BE%E7%89%87\.png/);
  });

  it('#4 GIVEN uploads declaring text/html, SVG or any string THEN only images are kept, typed by their bytes, served sandboxed with nosniff', async () => {
    const png = await smallPng();
    const declaredHtml = await upload(h, png, { content_type: 'text/html' }, 'x.html');
    assert.equal(declaredHtml.status, 201);
    const asset = (await declaredHtml.json()) as { content_type: string; url: string };
    assert.equal(asset.content_type, 'image/png', 'the type comes from the bytes');
    const served = await fetch(asset.url, { headers: h.auth() });
    assert.equal(served.headers.get('content-type'), 'image/png');
    assert.equal(served.headers.get('x-content-type-options'), 'nosniff');
    assert.match(served.headers.get('content-security-policy') ?? '', /^sandbox;/);

    const svg = await upload(h, svgImage(), { content_type: 'image/svg+xml' }, 'x.svg');
    assert.equal(svg.status, 415);
    assert.equal((await errorOf(svg)).code, 'unsupported_media_type');
    const html = await upload(h, Buffer.from('<html><script>alert(1)</script></html>'), {
      content_type: 'image/png',
    });
    assert.equal(html.status, 415);
  });

  it('#4 GIVEN a job output that is not a raster image THEN it is served as an attachment', async () => {
    const png = await smallPng();
    const { id } = (await (await upload(h, png)).json()) as { id: string };
    const record = (await h.http.assets.get(id))!;
    // A record stored before uploads were checked (or an output of a text node) may be anything.
    const legacy = await h.http.assets.put({
      owner: record.owner,
      bytes: Buffer.from('<html><script>alert(1)</script></html>'),
      contentType: 'text/html',
      filePath: 'page.html',
    });
    const served = await fetch(`${h.url}/api/v2/assets/${legacy.id}/content`, { headers: h.auth() });
    assert.equal(served.status, 200);
    assert.match(served.headers.get('content-disposition') ?? '', /^attachment; filename="?page\.html"?$/);
    assert.match(served.headers.get('content-security-policy') ?? '', /sandbox/);
    assert.equal(served.headers.get('x-content-type-options'), 'nosniff');
  });

  it('#5 GIVEN HTML behind a PNG header, SVG, an empty file, a 1×100000 image or a 20000×20000 bomb THEN each upload is refused', async () => {
    for (const [name, bytes, status] of [
      ['html behind png header', htmlBehindPngHeader(), 415],
      ['svg', svgImage(), 415],
      ['empty', Buffer.alloc(0), 415],
      ['needle', await needleImage(), 422],
      ['bomb', pixelBomb(), 422],
    ] as const) {
      const res = await upload(h, bytes);
      assert.equal(res.status, status, name);
    }
    const bomb = await errorOf(await upload(h, pixelBomb()));
    assert.match(bomb.message, /20000×20000/);
  });

  it('#6 GIVEN expected_hash THEN it is verified with blake3: a match stores, a mismatch is 409 hash_mismatch and stores nothing', async () => {
    const png = await smallPng();
    const hash = await blake3(png);
    const good = await upload(h, png, { expected_hash: hash.toUpperCase().replace('BLAKE3', 'blake3') });
    assert.equal(good.status, 201);
    assert.equal(
      ((await good.json()) as { hash: string }).hash,
      hash,
      'the asset hash is the blake3 of the bytes',
    );
    const owner = (await h.http.assets.get(((await (await upload(h, png)).json()) as { id: string }).id))!
      .owner;
    const before = await h.http.assets.usage(owner);
    const refused = await upload(h, png, { expected_hash: `blake3:${'0'.repeat(64)}` });
    assert.equal(refused.status, 409);
    const error = await errorOf(refused);
    assert.equal(error.code, 'hash_mismatch');
    assert.equal(error.details?.['actual_hash'], hash);
    assert.deepEqual(await h.http.assets.usage(owner), before, 'nothing stored');
    const malformed = await upload(h, png, { expected_hash: 'sha256:abc' });
    assert.equal(malformed.status, 422);
    const head = await fetch(`${h.url}/api/v2/assets/by-hash/${encodeURIComponent(hash)}`, {
      method: 'HEAD',
      headers: h.auth(),
    });
    assert.equal(head.status, 200);
  });
});
