import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AssetStore } from '../../../src/core/assets/asset-store.ts';
import { fsBlobStore } from '../../../src/core/blobs/fs-blob-store.ts';
import { createStorage } from '../../../src/core/storage/create-storage.ts';
import { cleanUp, runCli, workspace } from './helpers.ts';

// `comfyrelay retention run` against a store the "server" (this test process) holds open meanwhile,
// as it would be while `npm start` runs.

after(cleanUp);

const HOURS_AGO = (h: number) => new Date(Date.now() - h * 3600_000);

/** A data dir with one kept output, one file nothing references (written two hours ago), one old audit entry. */
async function storeWithLeftovers() {
  const ws = workspace([], [], 'dataDir: ./data\n');
  const data = join(ws.dir, 'data');
  mkdirSync(data);
  const storage = await createStorage({ sqlitePath: join(data, 'comfyrelay.db') });
  const blobs = fsBlobStore(join(data, 'blobs'), { durable: false });
  const assets = new AssetStore({ records: storage.assets, blobs, legacy: storage.blobs });
  const kept = await assets.put({ owner: 'a', bytes: Buffer.alloc(3000, 1), contentType: 'image/png' });
  const stray = await blobs.put(Buffer.alloc(5000, 2));
  assert.ok(stray.ok);
  for (const file of readdirSync(join(data, 'blobs'), { recursive: true, withFileTypes: true }))
    if (file.isFile()) utimesSync(join(file.parentPath, file.name), HOURS_AGO(2), HOURS_AGO(2));
  await storage.appendAudit({ at: HOURS_AGO(24 * 400).getTime(), actor: 'cli:root', action: 'user.ban' });
  await storage.appendAudit({ at: Date.now(), actor: 'cli:root', action: 'quota.reset' });
  return { ws, storage, blobs, kept, stray: stray.value };
}

describe('comfyrelay retention run', () => {
  it('GIVEN a data dir with no database THEN says so, exit 0, and creates none', async () => {
    const ws = workspace([], [], 'dataDir: ./data\n');
    const r = await runCli(['retention', 'run', '--config', ws.config], { cwd: ws.dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Nothing stored yet/);
    assert.equal(existsSync(join(ws.dir, 'data', 'comfyrelay.db')), false);
  });

  it('GIVEN --dry-run THEN counts the old audit entry and the unreferenced file, and removes nothing', async () => {
    const { ws, storage, blobs, stray } = await storeWithLeftovers();
    try {
      const r = await runCli(['retention', 'run', '--dry-run', '--json', '--config', ws.config], {
        cwd: ws.dir,
      });
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout);
      assert.equal(report.dryRun, true);
      assert.equal(report.expired.audit, 1);
      assert.equal(report.expired.blobs, 1);
      assert.equal(report.bytesFreed, 5000);
      assert.ok(await blobs.stat(stray.hash), 'the file is still there');
      assert.equal((await storage.listAudit(10)).length, 2, 'the audit log is untouched');
    } finally {
      await storage.close();
    }
  });

  it('GIVEN a run while the store is held open THEN removes exactly the leftovers, says what it freed, and a second run finds nothing', async () => {
    const { ws, storage, blobs, kept, stray } = await storeWithLeftovers();
    try {
      const r = await runCli(['retention', 'run', '--config', ws.config], { cwd: ws.dir });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /audit entries past their age: 1/);
      assert.match(r.stdout, /files nothing references: 1/);
      assert.match(r.stdout, /Freed [\d.]+ kB; 1 file\(s\) kept \(3\.0 kB\)/);
      assert.equal(await blobs.stat(stray.hash), undefined, 'the unreferenced file is gone');
      assert.ok(await blobs.stat(kept.hash), 'the output an asset references is kept');
      assert.deepEqual(
        (await storage.listAudit(10)).map((e) => e.action),
        ['quota.reset'],
      );

      const again = await runCli(['retention', 'run', '--json', '--config', ws.config], { cwd: ws.dir });
      const report = JSON.parse(again.stdout);
      assert.deepEqual(
        [report.expired.audit, report.expired.blobs, report.expired.evicted, report.bytesFreed],
        [0, 0, 0, 0],
      );
      assert.equal(report.blobCount, 1);
    } finally {
      await storage.close();
    }
  });

  it('GIVEN no subcommand THEN prints the usage, exit 2', async () => {
    const ws = workspace([], []);
    const r = await runCli(['retention', '--config', ws.config], { cwd: ws.dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Usage: comfyrelay retention run/);
  });
});
