import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EventLog } from '../../../../src/adapters/http/event-log.ts';
import { HttpFrontEnd } from '../../../../src/adapters/http/front-end.ts';
import { storageBlobStore, storageJobStore } from '../../../../src/core/jobs/storage-job-store.ts';
import { type JobRecord, type JobState, needsEngine } from '../../../../src/core/jobs/types.ts';
import { createLogger } from '../../../../src/core/logger.ts';
import type { ApiKeys } from '../../../../src/core/keys/api-keys.ts';
import { type StoredFiles, storedFiles } from '../../../../src/core/retention/stored-files.ts';
import { createStorage, type Storage } from '../../../../src/core/storage/create-storage.ts';
import { testConfig, WORKFLOWS_DIR } from '../../../helpers/app.ts';

const JOBS = 1000;
const MB = 1024 * 1024;
// Big enough that 1,000 of them in SQLite would blow its 10 MB bound many times over; small enough to write fast.
const OUTPUT_BYTES = 128 * 1024;
const DAY = 24 * 3600_000;
const WORKFLOW = JSON.parse(readFileSync(join(WORKFLOWS_DIR, 'sd15-txt2img.json'), 'utf8'));

/**
 * A folder in RAM (Linux tmpfs) when there is one with room for the ~200 MB written here, else none:
 * the same files and SQLite database, without a disk writing and unlinking 140 MB each run.
 */
function ramDataDir(): string | undefined {
  const shm = '/dev/shm';
  if (process.platform !== 'linux' || !existsSync(shm)) return undefined;
  const { bavail, bsize } = statfsSync(shm);
  return bavail * bsize > 1024 * MB ? mkdtempSync(join(shm, 'comfyrelay-retention-')) : undefined;
}

/** Every file under `dir`, recursively, with its size. */
function filesUnder(dir: string): { path: string; size: number }[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => ({ path: join(d.parentPath, d.name), size: statSync(join(d.parentPath, d.name)).size }));
}

/**
 * The stores real jobs go through, built by the same composition (`storedFiles`, `storageJobStore`,
 * `storageBlobStore`) over a SQLite file, with a clock retention and expiry can be moved on by; job
 * outputs stored by the HTTP front end's own `deliver`, as a finished HTTP job's are.
 */
describe('retention over 1,000 jobs with 128 KB outputs', () => {
  const ramDir = ramDataDir();
  const config = testConfig({
    retention: { jobsDays: 2, assetsDays: 1 },
    ...(ramDir ? { dataDir: ramDir } : {}),
  });
  const dbPath = join(config.dataDir, 'comfyrelay.db');
  const blobsDir = join(config.dataDir, 'blobs');
  let clock = Date.now();
  let storage: Storage<JobRecord>;
  let files: StoredFiles;
  const databaseBytes = () => filesUnder(config.dataDir).filter((f) => f.path.startsWith(dbPath));

  before(async () => {
    storage = await createStorage<JobRecord>({
      sqlitePath: dbPath,
      now: () => clock,
      isActiveJob: needsEngine,
    });
    // No fsync per blob: a throwaway directory, and 1,100 of them would be most of the test's time.
    files = storedFiles(config, storage, { memory: false, now: () => clock, durable: false });
    const jobs = storageJobStore(storage, files.jobsTtlMs);
    const inputs = storageBlobStore(storage, files.blobs, files.jobsTtlMs);
    const frontEnd = new HttpFrontEnd({
      jobs: { position: () => undefined },
      assets: files.assets,
      keys: {} as ApiKeys,
      events: new EventLog(),
      log: createLogger({ level: 'silent' }),
      allowPrivateUrls: false,
    });
    const output = randomBytes(OUTPUT_BYTES);
    for (let i = 0; i < JOBS; i++) {
      const id = `job-${String(i).padStart(4, '0')}`;
      const job: JobRecord = {
        id,
        owner: { platform: 'http', userId: `key${i % 7}`, communityId: `group${i % 3}` },
        ownerKey: `http:key${i % 7}`,
        request: { template: 'sd15-txt2img', prompt: `a lighthouse, take ${i}`, values: { steps: 20 } },
        seed: i,
        state: 'queued',
        workflow: WORKFLOW,
        attempts: 0,
        createdAt: Date.now(),
        updatedAt: Date.now(),
        delivery: { platform: 'http', origin: 'http://127.0.0.1', locale: 'en' },
        priority: 0,
      };
      // Every tenth job came with an input image, as an img2img job from chat does.
      if (i % 10 === 0) {
        job.request.inputImage = { key: `input:${id}`, mime: 'image/png' };
        await inputs.put(`input:${id}`, randomBytes(64 * 1024));
      }
      for (const state of ['queued', 'dispatched', 'running', 'delivering'] as JobState[])
        await jobs.put({ ...job, state });
      output.writeUInt32BE(i, 0);
      await frontEnd.deliver(job, {
        files: [{ node: '9', kind: 'image', filename: `out_${i}.png`, mime: 'image/png', bytes: output }],
        texts: [],
      });
      await jobs.put({ ...job, state: 'succeeded', finishedAt: Date.now(), notifiedAt: Date.now() });
    }
  });
  after(async () => {
    await files.retention.close();
    await storage.close();
    config.cleanup();
    if (ramDir) rmSync(ramDir, { recursive: true, force: true });
  });

  it('GIVEN 1,000 finished jobs THEN their bytes are files in the blob store and the SQLite file stays under 10 MB', async (t) => {
    const blobs = filesUnder(blobsDir).filter((f) => !f.path.includes('staging'));
    assert.equal(blobs.length, JOBS + JOBS / 10, 'one file per output and per input image');
    assert.ok(blobs.reduce((a, f) => a + f.size, 0) >= JOBS * OUTPUT_BYTES);
    const before = databaseBytes().reduce((a, f) => a + f.size, 0);
    assert.ok(before < 10 * MB, `database and WAL ${(before / MB).toFixed(1)} MB before retention`);

    const report = (await files.retention.run())!;
    t.diagnostic(
      `database ${(before / MB).toFixed(2)} MB before retention, ${(report.databaseBytes / MB).toFixed(2)} MB after; blobs ${report.blobCount} files, ${(report.bytesStored / MB).toFixed(0)} MB`,
    );
    assert.equal(report.expired.blobs, 0, 'nothing referenced is swept');
    assert.equal(report.blobCount, JOBS + JOBS / 10);
    assert.ok(report.databaseBytes < 10 * MB, `${(report.databaseBytes / MB).toFixed(1)} MB after`);
    const job = await storage.jobs.get('job-0010');
    assert.equal(job?.state, 'succeeded', 'finished jobs are still there within their age');
    assert.equal((await files.assets.forJob('job-0010')).length, 1);
  });

  it('GIVEN the clock past every age THEN a retention run removes the expired entries and every blob', async (t) => {
    clock += 3 * DAY;
    const report = (await files.retention.run())!;
    t.diagnostic(`expired ${JSON.stringify(report.expired)}; database ${report.databaseBytes} bytes`);
    assert.equal(report.expired.blobs, JOBS + JOBS / 10);
    // Jobs, their input references, asset records and indexes expired with their age: purged rows.
    assert.ok(report.expired.rows >= JOBS * 3, `${report.expired.rows} expired rows purged`);
    assert.equal(report.blobCount, 0);
    assert.equal(report.bytesStored, 0);
    assert.deepEqual(
      filesUnder(blobsDir).filter((f) => !f.path.includes('staging')),
      [],
    );
    assert.equal(await storage.jobs.get('job-0010'), undefined);
    const size = databaseBytes().reduce((a, f) => a + f.size, 0);
    assert.ok(size < MB, `the compacted database is ${(size / 1024).toFixed(0)} KB`);
  });
});
