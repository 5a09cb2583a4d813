import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { Registry } from 'prom-client';
import type { Config } from '../../config/index.ts';
import { AssetStore } from '../assets/asset-store.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import { fsBlobStore } from '../blobs/fs-blob-store.ts';
import { memoryBlobStore } from '../blobs/memory-blob-store.ts';
import type { Logger } from '../logger.ts';
import type { Storage } from '../storage/create-storage.ts';
import type { RetentionSettings } from './retention-run.ts';
import { RetentionService } from './retention-service.ts';

const DAY_MS = 24 * 3600_000;
const MB = 1024 * 1024;
/** A blob or staged file this young is never swept: the reference to it may not be written yet. */
const GRACE_MS = 3600_000;

/** The files side of the app: the blob store, the assets over it, and retention over both. */
export interface StoredFiles {
  blobs: BlobStore;
  assets: AssetStore;
  retention: RetentionService;
  /** What each retention run enforces (the command line's `retention run` uses them too). */
  settings: RetentionSettings;
  /** How long finished jobs (and their input images) are kept. */
  jobsTtlMs: number;
}

export interface StoredFilesOptions {
  /** Nothing outlives the process (the command line): blobs in memory. */
  memory: boolean;
  registry?: Registry;
  log?: Logger;
  /** This process's name, for the one-run-per-interval claim among processes. */
  instanceId?: string;
  /** Retention's clock (tests move it past expiry). */
  now?: () => number;
  /** Flush each blob to disk before it is renamed into place (default true; off only in throwaway tests). */
  durable?: boolean;
}

/** Builds the blob store (`storage.blobsDir`, default `<dataDir>/blobs`), assets and retention from the config. */
export function storedFiles(
  config: Config,
  storage: Storage<{ ownerKey?: string }>,
  options: StoredFilesOptions,
): StoredFiles {
  const r = config.retention;
  const blobs = options.memory
    ? memoryBlobStore()
    : fsBlobStore(resolve(config.storage.blobsDir ?? join(config.dataDir, 'blobs')), {
        durable: options.durable,
      });
  const assets = new AssetStore({
    records: storage.assets,
    blobs,
    legacy: storage.blobs,
    retentionMs: r.assetsDays * DAY_MS,
  });
  const settings: RetentionSettings = {
    auditMs: r.auditDays * DAY_MS,
    jobsMs: r.jobsDays * DAY_MS,
    graceMs: GRACE_MS,
    budget: {
      totalBytes: r.maxTotalGb * 1024 * MB,
      perOwnerBytes: r.maxPerOwnerMb * MB,
      ...(r.maxPerCommunityMb ? { perCommunityBytes: r.maxPerCommunityMb * MB } : {}),
    },
  };
  const retention = new RetentionService({
    deps: { storage, assets, blobs, ...(options.now ? { now: options.now } : {}) },
    settings,
    intervalMs: options.memory ? 0 : r.intervalMinutes * 60_000,
    holder: options.instanceId ?? `${hostname()}-${process.pid}`,
    ...(options.registry ? { registry: options.registry } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  return { blobs, assets, retention, settings, jobsTtlMs: r.jobsDays * DAY_MS };
}
