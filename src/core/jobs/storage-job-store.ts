import type { Storage } from '../storage/create-storage.ts';
import type { BlobStore, JobStore } from './ports.ts';
import type { JobRecord } from './types.ts';

const OWNER_HISTORY = 200;
/** Finished jobs are kept this long so `/show` and buttons keep working (30 days). */
const FINISHED_TTL_MS = 30 * 24 * 3600_000;

/** The engine's job store over the shared storage: records, the active index, and a per-owner index. */
export function storageJobStore(storage: Storage<JobRecord>): JobStore {
  return {
    get: (id) => storage.jobs.get(id),
    async put(job) {
      const terminal =
        job.state === 'succeeded' ||
        job.state === 'failed' ||
        job.state === 'canceled' ||
        job.state === 'expired';
      await storage.jobs.set(job.id, job, terminal ? FINISHED_TTL_MS : undefined);
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

export function storageBlobStore(storage: Storage<JobRecord>): BlobStore {
  return {
    put: (key, bytes) => storage.blobs.set(key, Buffer.from(bytes).toString('base64'), FINISHED_TTL_MS),
    async get(key) {
      const b64 = await storage.blobs.get(key);
      return b64 === undefined ? undefined : Buffer.from(b64, 'base64');
    },
  };
}
