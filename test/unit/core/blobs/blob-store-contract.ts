import assert from 'node:assert/strict';
import { it } from 'node:test';
import { type BlobStore, readBlob } from '../../../../src/core/blobs/blob-store.ts';

const text = (s: string) => Buffer.from(s, 'utf8');
async function* chunks(...parts: string[]): AsyncIterable<Uint8Array> {
  for (const p of parts) yield text(p);
}
const collect = async (store: BlobStore) => {
  const all = [];
  for await (const b of store.list()) all.push(b);
  return all;
};

/** What every blob store does; `open` gives a fresh, empty store each call. */
export function blobStoreContract(open: () => Promise<BlobStore>): void {
  it('GIVEN bytes put whole or in chunks THEN both give the same blake3 hash, size and bytes back', async () => {
    const store = await open();
    const whole = await store.put(text('hello, blob'));
    const streamed = await store.put(chunks('hello', ', ', 'blob'));
    assert.ok(whole.ok && streamed.ok);
    assert.deepEqual(whole.value, streamed.value);
    assert.match(whole.value.hash, /^blake3:[0-9a-f]{64}$/);
    assert.equal(whole.value.size, 11);
    assert.equal((await readBlob(store, whole.value.hash))?.toString(), 'hello, blob');
    assert.equal((await collect(store)).length, 1, 'same content, one blob');
  });

  it('GIVEN a range THEN only those bytes (inclusive) are read', async () => {
    const store = await open();
    const put = await store.put(text('0123456789'));
    assert.ok(put.ok);
    const stream = await store.open(put.value.hash, { start: 2, end: 5 });
    const got: Buffer[] = [];
    for await (const c of stream!) got.push(c as Buffer);
    assert.equal(Buffer.concat(got).toString(), '2345');
  });

  it('GIVEN a source past maxBytes THEN the put is refused and nothing is kept', async () => {
    const store = await open();
    const refused = await store.put(chunks('abc', 'def', 'ghi'), { maxBytes: 5 });
    assert.deepEqual(refused, { ok: false, error: { code: 'tooLarge', maxBytes: 5 } });
    assert.deepEqual(await collect(store), []);
    assert.equal(await store.sweepStaged(Date.now() + 60_000), 0, 'no staged leftovers either');
  });

  it('GIVEN staged bytes THEN they are a blob only once committed, and discarding keeps nothing', async () => {
    const store = await open();
    const kept = await store.stage(text('keep me'));
    const dropped = await store.stage(text('drop me'));
    assert.ok(kept.ok && dropped.ok);
    assert.equal((await kept.value.read()).toString(), 'keep me');
    assert.equal(await store.stat(kept.value.hash), undefined, 'not visible before commit');
    await kept.value.commit();
    await dropped.value.discard();
    assert.equal((await store.stat(kept.value.hash))?.size, 7);
    assert.equal(await store.stat(dropped.value.hash), undefined);
    assert.deepEqual(
      (await collect(store)).map((b) => b.hash),
      [kept.value.hash],
    );
  });

  it('GIVEN a blob written after a cut-off THEN delete with writtenBefore spares it, plain delete removes it', async () => {
    const store = await open();
    const put = await store.put(text('young'));
    assert.ok(put.ok);
    const info = (await store.stat(put.value.hash))!;
    assert.equal(await store.delete(put.value.hash, { writtenBefore: info.modifiedAt }), false);
    assert.ok(await store.stat(put.value.hash));
    assert.equal(await store.delete(put.value.hash), true);
    assert.equal(await store.open(put.value.hash), undefined);
    assert.equal(await store.delete(put.value.hash), false, 'already gone');
  });

  it('GIVEN a malformed or unknown hash THEN nothing is found and nothing outside the store is touched', async () => {
    const store = await open();
    for (const hash of ['blake3:../../etc/passwd', 'sha256:00', `blake3:${'a'.repeat(64)}`]) {
      assert.equal(await store.open(hash), undefined, hash);
      assert.equal(await store.stat(hash), undefined, hash);
      assert.equal(await store.delete(hash), false, hash);
    }
  });

  it('GIVEN the same content put by many writers at once THEN every put succeeds with one blob', async () => {
    const store = await open();
    const bytes = Buffer.alloc(256 * 1024, 7);
    const puts = await Promise.all(Array.from({ length: 8 }, () => store.put(bytes)));
    assert.ok(puts.every((p) => p.ok));
    const blobs = await collect(store);
    assert.equal(blobs.length, 1);
    assert.equal(blobs[0]!.size, bytes.length);
  });
}
