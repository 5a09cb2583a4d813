import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { smallPng } from './bad-inputs.ts';
import { type Harness, startHarness } from './harness.ts';
import { errorOf, upload } from './requests.ts';

const MB = 1024 * 1024;
const BOUNDARY = 'streamingboundary';

/** Every file under `dir`, recursively. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));

/** A multipart body sent chunked (no Content-Length), fields after the file, as a stream would send it. */
function chunkedUpload(h: Harness, file: Buffer, after: Record<string, string> = {}): Promise<Response> {
  const parts = [
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`,
    ),
    file,
    Buffer.from('\r\n'),
    ...Object.entries(after).map(([k, v]) =>
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
    ),
    Buffer.from(`--${BOUNDARY}--\r\n`),
  ];
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const p of parts)
        for (let at = 0; at < p.length; at += 64 * 1024) controller.enqueue(p.subarray(at, at + 64 * 1024));
      controller.close();
    },
  });
  return fetch(`${h.url}/api/v2/assets`, {
    method: 'POST',
    headers: { ...h.auth(), 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    body,
    duplex: 'half',
  } as RequestInit);
}

describe('issue 13: uploads stream to the blob store', () => {
  let h: Harness;
  let blobsDir: string;
  before(async () => {
    h = await startHarness({ config: { http: { limits: { uploadMb: 1 } } } });
    blobsDir = join(h.app.config.dataDir, 'blobs');
  });
  after(() => h.close());

  const stored = () => filesUnder(blobsDir).filter((f) => !f.includes(`${join(blobsDir, 'staging')}`));
  const staging = () => filesUnder(blobsDir).filter((f) => f.includes(`${join(blobsDir, 'staging')}`));

  it('GIVEN an upload THEN its bytes are one file under <dataDir>/blobs/ab/cd/<hash>, served back whole and in ranges', async () => {
    const png = await smallPng();
    const res = await upload(h, png, {}, 'in.png');
    assert.equal(res.status, 201);
    const asset = (await res.json()) as { id: string; hash: string; url: string };
    const hex = asset.hash.slice('blake3:'.length);
    const path = join(blobsDir, hex.slice(0, 2), hex.slice(2, 4), hex);
    assert.deepEqual(readFileSync(path), png);
    assert.equal(statSync(path).size, png.length);
    const whole = await fetch(asset.url, { headers: h.auth() });
    assert.equal(whole.headers.get('content-length'), String(png.length));
    assert.deepEqual(Buffer.from(await whole.arrayBuffer()), png);
    const tail = await fetch(asset.url, { headers: { ...h.auth(), Range: 'bytes=-10' } });
    assert.equal(tail.status, 206);
    assert.deepEqual(Buffer.from(await tail.arrayBuffer()), png.subarray(png.length - 10));
    assert.deepEqual(staging(), [], 'nothing left in staging');
  });

  it('GIVEN a chunked body past uploadMb THEN 413 while streaming, and nothing kept on disk', async () => {
    const before = stored().length;
    const big = Buffer.concat([await smallPng(), Buffer.alloc(2 * MB, 1)]);
    const res = await chunkedUpload(h, big);
    assert.equal(res.status, 413);
    assert.equal((await errorOf(res)).code, 'too_large');
    assert.equal(stored().length, before);
    assert.deepEqual(staging(), []);
  });

  it('GIVEN fields after the file part (chunked) THEN they are read, and a refused upload keeps nothing', async () => {
    const png = await smallPng();
    const named = await chunkedUpload(h, Buffer.concat([png]), { file_path: '夜/after.png' });
    assert.equal(named.status, 201);
    assert.equal(((await named.json()) as { file_path: string }).file_path, '夜/after.png');
    const before = stored().length;
    const other = Buffer.from(png);
    other[other.length - 5]! ^= 0xff;
    const mismatch = await chunkedUpload(h, other, { expected_hash: `blake3:${'0'.repeat(64)}` });
    assert.equal(mismatch.status, 409);
    const notImage = await chunkedUpload(h, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'));
    assert.equal(notImage.status, 415);
    assert.equal(stored().length, before, 'refused uploads leave no blob');
    assert.deepEqual(staging(), []);
  });
});
