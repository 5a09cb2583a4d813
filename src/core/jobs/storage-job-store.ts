import { type BlobStore as Blobs, readBlob } from '../blobs/blob-store.ts';
import { blobRefOf } from '../blobs/blob-refs.ts';
import type { Storage } from '../storage/create-storage.ts';
import type { BlobStore, JobStore } from './ports.ts';
import type { JobRecord } from './types.ts';

const OWNER_HISTORY = 200;
/** Finished jobs are kept this long by default so `/show` and buttons keep working (`retention.jobsDays`). */
export const FINISHED_TTL_MS = 30 * 24 * 3600_000;

/**
 * The engine's job store over the shared storage: records, the active index, and a per-owner index. A
 * finished job expires `finishedTtlMs` after it finished.
 */
export function storageJobStore(
  storage: Storage<JobRecord>,
  finishedTtlMs: number = FINISHED_TTL_MS,
): JobStore {
  return {
    get: (id) => storage.jobs.get(id),
    async put(job) {
      const terminal =
        job.state === 'succeeded' ||
        job.state === 'failed' ||
        job.state === 'canceled' ||
        job.state === 'expired';
      await storage.jobs.set(job.id, job, terminal ? finishedTtlMs : undefined);
      if (job.state === 'queued' && job.attempts === 0) {
        const ids = (await storage.owners.get(job.ownerKey)) ?? [];
        if (!ids.includes(job.id))
          await storage.owners.set(job.ownerKey, [job.id, ...ids].slice(0, OWNER_HISTORY));
      }
    },
    async active() {
      const jobs: JobRecord[] = [];
      for await (const [, job] of storage.jobs.listActive()) jobs.push(job);
      return jobs;
    },
    async byOwner(ownerKey, limit) {
      const ids = (await storage.owners.get(ownerKey)) ?? [];
      const jobs: JobRecord[] = [];
      for (const id of ids) {
        if (jobs.length >= limit) break;
        const job = await storage.jobs.get(id);
        if (job) jobs.push(job);
      }
      return jobs;
    },
    claim: (key, jobId, ttlMs) => storage.claim(key, jobId, ttlMs),
  };
}

/**
 * Input images for the engine: the bytes in the blob store, a reference `{hash, size}` under the engine's
 * key in `storage.blobs` (kept as long as finished jobs are). A reference is written only once its bytes
 * are on disk, so one that reads back always has them, until retention removes both.
 */
export function storageBlobStore(
  storage: Storage<JobRecord>,
  blobs: Blobs,
  ttlMs: number = FINISHED_TTL_MS,
): BlobStore {
  return {
    async put(key, bytes) {
      const stored = await blobs.put(bytes);
      if (!stored.ok) throw new Error('unreachable: no size limit');
      await storage.blobs.set(key, { ...stored.value, at: Date.now() }, ttlMs);
    },
    async get(key) {
      const ref = await storage.blobs.get(key);
      // Written before the blob store: the bytes themselves, base64, until the migration moves them.
      if (typeof ref === 'string') return Buffer.from(ref, 'base64');
      const hash = blobRefOf(ref)?.hash;
      return hash ? readBlob(blobs, hash) : undefined;
    },
  };
}
