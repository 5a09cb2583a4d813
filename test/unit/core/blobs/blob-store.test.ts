import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fsBlobStore } from '../../../../src/core/blobs/fs-blob-store.ts';
import { memoryBlobStore } from '../../../../src/core/blobs/memory-blob-store.ts';
import { blobStoreContract } from './blob-store-contract.ts';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'comfyrelay-blobs-'));
  dirs.push(dir);
  return dir;
};
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('fsBlobStore', () => {
  blobStoreContract(async () => fsBlobStore(freshDir(), { durable: false }));

  it('GIVEN a blob THEN it is a file at <root>/ab/cd/<64 hex>, and nothing stays in staging', async () => {
    const root = freshDir();
    const store = fsBlobStore(root);
    const put = await store.put(Buffer.from('on disk'));
    assert.ok(put.ok);
    const hex = put.value.hash.slice('blake3:'.length);
    assert.deepEqual(readdirSync(join(root, hex.slice(0, 2), hex.slice(2, 4))), [hex]);
    assert.deepEqual(readdirSync(join(root, 'staging')), []);
  });

  it('GIVEN a write left behind by a crash THEN sweepStaged removes it once old, not before', async () => {
    const root = freshDir();
    const store = fsBlobStore(root);
    await store.put(Buffer.from('x'));
    const left = join(root, 'staging', 'crashed.part');
    writeFileSync(left, 'half');
    const hourAgo = new Date(Date.now() - 3600_000);
    assert.equal(await store.sweepStaged(hourAgo.getTime()), 0);
    utimesSync(left, new Date(hourAgo.getTime() - 1000), new Date(hourAgo.getTime() - 1000));
    assert.equal(await store.sweepStaged(hourAgo.getTime()), 1);
    assert.deepEqual(readdirSync(join(root, 'staging')), []);
  });

  it('GIVEN two stores over one directory (two processes, a shared filesystem) THEN each reads what the other wrote', async () => {
    const root = freshDir();
    const a = fsBlobStore(root);
    const b = fsBlobStore(root);
    const put = await a.put(Buffer.from('shared'));
    assert.ok(put.ok);
    assert.equal((await b.stat(put.value.hash))?.size, 6);
  });
});

describe('memoryBlobStore', () => {
  blobStoreContract(async () => memoryBlobStore());
});
