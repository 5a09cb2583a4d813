import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AssetStore } from '../../../../src/core/assets/asset-store.ts';
import { fsBlobStore } from '../../../../src/core/blobs/fs-blob-store.ts';
import { runRetention } from '../../../../src/core/retention/retention-run.ts';
import { createStorage, type Storage } from '../../../../src/core/storage/create-storage.ts';

const dirs: string[] = [];
const opened: Storage<{ ownerKey?: string }>[] = [];
after(async () => {
  for (const s of opened) await s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'comfyrelay-assets-'));
  dirs.push(dir);
  const storage = await createStorage<{ ownerKey?: string }>({ sqlitePath: join(dir, 'db.sqlite') });
  opened.push(storage);
  const blobs = fsBlobStore(join(dir, 'blobs'), { durable: false });
  const assets = new AssetStore({ records: storage.assets, blobs, legacy: storage.blobs });
  const retain = (now = Date.now() + 2 * 3600_000) =>
    runRetention(
      { storage, assets, blobs, now: () => now },
      { auditMs: 1e12, jobsMs: 1e9, graceMs: 3600_000, budget: {} },
    );
  return { storage, blobs, assets, retain };
}

const png = (n: number) => Buffer.from(`not really a png ${n}`);

describe('AssetStore over the blob store', () => {
  it('GIVEN two owners with the same bytes THEN one blob, and it stays until the last record of either goes', async () => {
    const { assets, blobs, retain } = await setup();
    const a = await assets.put({ owner: 'alice', bytes: png(1), contentType: 'image/png' });
    const b = await assets.put({ owner: 'bob', bytes: png(1), contentType: 'image/png' });
    assert.equal(a.hash, b.hash);
    assert.equal(await assets.byHash('bob', a.hash).then((r) => r?.id), b.id);
    assert.equal(await assets.byHash('carol', a.hash), undefined, 'a hash reveals nothing across owners');

    await assets.delete(a.id);
    assert.equal((await retain()).expired.blobs, 0, 'bob still references it');
    assert.equal((await assets.bytes(b))?.toString(), png(1).toString());
    await assets.delete(b.id);
    assert.equal((await retain()).expired.blobs, 1);
    assert.equal(await blobs.stat(a.hash), undefined);
  });

  it('GIVEN a blob written within the grace period THEN retention leaves it even when unreferenced', async () => {
    const { assets, blobs, retain } = await setup();
    const a = await assets.put({ owner: 'alice', bytes: png(2), contentType: 'image/png' });
    await assets.delete(a.id);
    assert.equal((await retain(Date.now())).expired.blobs, 0);
    assert.ok(await blobs.stat(a.hash));
  });

  it('GIVEN records and bytes stored base64 before the blob store THEN they read, migrate to blobs, and stay readable', async () => {
    const { storage, assets, blobs, retain } = await setup();
    const bytes = png(3);
    const now = Date.now();
    const legacy = {
      id: 'old-1',
      owner: 'alice',
      hash: 'blake3:legacy',
      blob: 'asset:alice:blake3:legacy',
      size: bytes.length,
      contentType: 'image/png',
      createdAt: now,
      expiresAt: now + 3600_000,
    };
    await storage.assets.set('a:old-1', legacy);
    await storage.blobs.set(legacy.blob, bytes.toString('base64'));
    await storage.blobs.set('input:gone-job', bytes.toString('base64'));
    const record = (await assets.get('old-1'))!;
    assert.equal((await assets.bytes(record))?.toString(), bytes.toString(), 'read before migration');

    const report = await retain();
    assert.equal(report.migrated, 2);
    assert.equal(typeof (await storage.blobs.get(legacy.blob)), 'object', 'now a reference');
    assert.equal((await assets.bytes(record))?.toString(), bytes.toString(), 'read after migration');
    const ranged = await assets.open(record, { start: 4, end: 9 });
    const chunks: Buffer[] = [];
    for await (const c of ranged!) chunks.push(c as Buffer);
    assert.equal(Buffer.concat(chunks).toString(), bytes.subarray(4, 10).toString());
    assert.equal(report.blobCount, 1, 'both legacy values were the same bytes: one blob');
    assert.equal(report.expired.inputs, 1, 'the input of a job that no longer exists');

    await assets.delete('old-1');
    assert.equal(await storage.blobs.get(legacy.blob), undefined, 'its legacy reference went with it');
    assert.equal((await retain()).expired.blobs, 1);
    assert.equal((await blobs.list()[Symbol.asyncIterator]().next()).done, true);
  });
});
