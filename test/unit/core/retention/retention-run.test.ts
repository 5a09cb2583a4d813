import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AssetStore } from '../../../../src/core/assets/asset-store.ts';
import { fsBlobStore } from '../../../../src/core/blobs/fs-blob-store.ts';
import { needsEngine } from '../../../../src/core/jobs/types.ts';
import { type DiskBudget, runRetention } from '../../../../src/core/retention/index.ts';
import { createStorage, type Storage } from '../../../../src/core/storage/create-storage.ts';

type Job = { id: string; state: string; ownerKey: string; owner: { communityId?: string } };
const dirs: string[] = [];
const opened: Storage<Job>[] = [];
after(async () => {
  for (const s of opened) await s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'comfyrelay-retention-'));
  dirs.push(dir);
  const storage = await createStorage<Job>({
    sqlitePath: join(dir, 'db.sqlite'),
    isActiveJob: (job) => needsEngine(job as never),
  });
  opened.push(storage);
  const blobs = fsBlobStore(join(dir, 'blobs'), { durable: false });
  const assets = new AssetStore({ records: storage.assets, blobs, legacy: storage.blobs });
  const retain = (budget: DiskBudget) =>
    runRetention(
      { storage, assets, blobs, now: () => Date.now() + 2 * 3600_000 },
      { auditMs: 24 * 3600_000, jobsMs: 1e9, graceMs: 3600_000, budget },
    );
  return { storage, assets, blobs, retain };
}

const KB = 1024;
const output = (n: number) => Buffer.alloc(100 * KB, n);
/** Records made a few milliseconds apart, so "oldest" is one of them. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 3));

describe('runRetention', () => {
  it('GIVEN an owner over their budget THEN their oldest outputs go first, never those of a job still running, and their files with them', async () => {
    const { storage, assets, blobs, retain } = await setup();
    await storage.jobs.set('running', { id: 'running', state: 'running', ownerKey: 'a', owner: {} });
    await storage.jobs.set('done1', { id: 'done1', state: 'succeeded', ownerKey: 'a', owner: {} });
    const oldest = await assets.put({
      owner: 'a',
      bytes: output(1),
      contentType: 'image/png',
      jobId: 'running',
    });
    await tick();
    const old = await assets.put({ owner: 'a', bytes: output(2), contentType: 'image/png', jobId: 'done1' });
    await tick();
    const recent = await assets.put({ owner: 'a', bytes: output(3), contentType: 'image/png' });
    const others = await assets.put({ owner: 'b', bytes: output(4), contentType: 'image/png' });

    const report = await retain({ perOwnerBytes: 250 * KB });
    assert.equal(report.expired.evicted, 1);
    assert.ok(await assets.get(oldest.id), 'the running job keeps its output');
    assert.equal(await assets.get(old.id), undefined, 'the oldest finished output went');
    assert.ok(await assets.get(recent.id));
    assert.ok(await assets.get(others.id), 'another owner is untouched');
    assert.equal(await blobs.stat(old.hash), undefined, 'and its file');
    assert.equal(report.blobCount, 3);
    assert.equal(report.bytesStored, 300 * KB);
  });

  it('GIVEN the overall budget THEN it holds across owners, and an audit log past its age is trimmed', async () => {
    const { storage, assets, retain } = await setup();
    for (let i = 0; i < 5; i++)
      await assets.put({ owner: `o${i}`, bytes: output(10 + i), contentType: 'image/png' });
    await storage.appendAudit({ at: 1, actor: 'cli:root', action: 'user.ban' });
    await storage.appendAudit({ at: Date.now(), actor: 'cli:root', action: 'quota.reset' });
    const report = await retain({ totalBytes: 200 * KB });
    assert.equal(report.expired.evicted, 3);
    assert.equal(report.bytesStored, 200 * KB);
    assert.equal(report.expired.audit, 1);
    assert.deepEqual(
      (await storage.listAudit(10)).map((e) => e.action),
      ['quota.reset'],
    );
  });
});
