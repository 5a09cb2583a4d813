import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createStorage, type Storage } from '../../../../src/core/storage/create-storage.ts';
import { type FakeJob, storageContract } from './storage-contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'comfyrelay-storage-'));
const opened: Storage<FakeJob, { locale: string }>[] = [];
let files = 0;
after(async () => {
  for (const storage of opened) await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

async function openFile(path: string) {
  const storage = await createStorage<FakeJob, { locale: string }>({ sqlitePath: path });
  opened.push(storage);
  return storage;
}

describe('createStorage over SQLite', () => {
  storageContract(() => openFile(join(dir, `contract-${files++}.db`)));

  it('GIVEN active jobs, claims and audit written THEN a reopened file still has them', async () => {
    const path = join(dir, 'reopen.db');
    const first = await createStorage<FakeJob>({ sqlitePath: path });
    await first.jobs.set('j', { id: 'j', state: 'running' });
    await first.claimOnce('evt', 60_000);
    await first.appendAudit({ at: 1, actor: 'cli:root', action: 'backend.drain' });
    await first.close();

    const second = await openFile(path);
    const active: string[] = [];
    for await (const [id] of second.jobs.listActive()) active.push(id);
    assert.deepEqual(active, ['j']);
    assert.equal(await second.claimOnce('evt', 60_000), false);
    assert.equal((await second.listAudit(10)).length, 1);
  });

  it('GIVEN two storages on one file THEN a claim made by one is seen by the other', async () => {
    const path = join(dir, 'shared.db');
    const a = await openFile(path);
    const b = await openFile(path);
    assert.equal(await a.claimOnce('discord:interaction:1', 60_000), true);
    assert.equal(await b.claimOnce('discord:interaction:1', 60_000), false);
    await a.jobs.set('j', { id: 'j', state: 'queued' });
    assert.deepEqual(await b.jobs.get('j'), { id: 'j', state: 'queued' });
  });

  it('GIVEN a file that held large values THEN compact gives the space back, also to a file made before incremental vacuum', async () => {
    for (const legacy of [false, true]) {
      const path = join(dir, `compact-${legacy}.db`);
      if (legacy) {
        // A file created the way it was before retention: no auto-vacuum.
        const { DatabaseSync } = await import('node:sqlite');
        const db = new DatabaseSync(path);
        db.exec('PRAGMA journal_mode = WAL; CREATE TABLE t (x); DROP TABLE t;');
        db.close();
      }
      const storage = await openFile(path);
      const big = 'x'.repeat(64 * 1024);
      for (let i = 0; i < 100; i++) await storage.blobs.set(`input:${i}`, big, i < 95 ? 5 : undefined);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const report = await storage.compact();
      assert.equal(report.expired, 95, `expired rows (legacy ${legacy})`);
      assert.ok(report.fileBytes < 1024 * 1024, `${report.fileBytes} bytes left (legacy ${legacy})`);
      assert.equal(await storage.blobs.get('input:99'), big);
    }
  });
});
