import type { AssetStore } from '../assets/asset-store.ts';
import { legacyKeyOf } from '../assets/asset-record.ts';
import { blobRefOf, migrateInlineBlobs } from '../blobs/blob-refs.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import type { Storage } from '../storage/create-storage.ts';
import { type DiskBudget, planEvictions, type StoredEntry } from './plan-evictions.ts';

export interface RetentionDeps {
  /** Job records, input references (`storage.blobs`), the audit log, the database file. */
  storage: Storage<{ ownerKey?: string; owner?: { communityId?: string } }>;
  assets: AssetStore;
  blobs: BlobStore;
  now?: () => number;
}

export interface RetentionSettings {
  /** Audit entries older than this go. */
  auditMs: number;
  /** How long a moved legacy input reference is kept (finished jobs' age). */
  jobsMs: number;
  budget: DiskBudget;
  /** Blobs and staged files written this recently are spared: their reference may be on its way. */
  graceMs: number;
}

export interface RetentionOptions {
  /**
   * Count what a run would remove, removing nothing: no deletion, no move of legacy values, no
   * compaction (`expired.rows` and `databaseBytes` are then 0: only compaction finds those).
   */
  dryRun?: boolean;
}

export interface RetentionReport {
  /** True when nothing was removed (the counts say what a run would remove). */
  dryRun: boolean;
  /** Entries removed by this run, by kind. */
  expired: {
    audit: number;
    /** Input references whose job no longer exists. */
    inputs: number;
    /** Entries deleted to fit a disk budget. */
    evicted: number;
    /** Blobs no live entry referenced. */
    blobs: number;
    /** Interrupted writes. */
    staged: number;
    /** Expired rows the database kept lazily (finished jobs, assets, claims). */
    rows: number;
  };
  /** Legacy base64 values moved to the blob store. */
  migrated: number;
  /** Bytes of the blobs deleted (the database's own shrink is `databaseBytes` against its size before). */
  bytesFreed: number;
  bytesStored: number;
  blobCount: number;
  databaseBytes: number;
}

const INPUT = 'input:';
const LEGACY_ASSET = 'asset:';

/**
 * One retention pass. Ages are enforced by the entries' own expiry (jobs, assets, references are written
 * with one); this pass then drops old audit entries, fits the disk budgets, deletes every blob that no
 * live entry references (mark and sweep: no reference counts to drift, safe with several processes and a
 * shared directory), and compacts the database.
 */
export async function runRetention(
  deps: RetentionDeps,
  settings: RetentionSettings,
  options: RetentionOptions = {},
): Promise<RetentionReport> {
  const { storage, assets, blobs } = deps;
  const dry = options.dryRun === true;
  const now = deps.now ?? Date.now;
  const started = now();
  const migrated = dry
    ? await countInline(storage)
    : await migrateInlineBlobs(storage.blobs, blobs, settings.jobsMs);
  const auditBefore = started - settings.auditMs;
  const audit = dry ? await storage.countAuditBefore(auditBefore) : await storage.pruneAudit(auditBefore);

  const active = new Set<string>();
  for await (const [id] of storage.jobs.listActive()) active.add(id);
  const { entries, orphans, pinned } = await collect(deps, started - settings.graceMs);
  const evicted = planEvictions(entries, settings.budget, (jobId) => active.has(jobId));
  if (!dry) {
    for (const key of orphans) await storage.blobs.delete(key);
    for (const e of evicted) {
      if (e.kind === 'input') await storage.blobs.delete(e.id);
      else await assets.delete(e.id);
    }
  }

  const gone = new Set(evicted);
  const referenced = new Set([...pinned, ...entries.filter((e) => !gone.has(e)).map((e) => e.hash)]);
  const cutoff = started - settings.graceMs;
  let swept = 0;
  let bytesFreed = 0;
  let bytesStored = 0;
  let blobCount = 0;
  for await (const blob of blobs.list()) {
    const unused = !referenced.has(blob.hash);
    const removed = dry
      ? unused && blob.modifiedAt < cutoff
      : unused && (await blobs.delete(blob.hash, { writtenBefore: cutoff }));
    if (removed) {
      swept++;
      bytesFreed += blob.size;
    } else {
      bytesStored += blob.size;
      blobCount++;
    }
  }
  const staged = await blobs.sweepStaged(cutoff, { dryRun: dry });
  const compacted = dry ? undefined : await storage.compact();
  return {
    dryRun: dry,
    expired: {
      audit,
      inputs: orphans.length,
      evicted: evicted.length,
      blobs: swept,
      staged,
      rows: compacted?.expired ?? 0,
    },
    migrated,
    bytesFreed,
    bytesStored,
    blobCount,
    databaseBytes: compacted?.fileBytes ?? 0,
  };
}

/** Legacy base64 values still inside the key-value store (what a run would move to the blob store). */
async function countInline(storage: RetentionDeps['storage']): Promise<number> {
  let n = 0;
  for await (const [, value] of storage.blobs.list()) if (typeof value === 'string') n++;
  return n;
}

interface Collected {
  entries: StoredEntry[];
  /** References to delete: input images of jobs that no longer exist, legacy asset bytes no asset uses. */
  orphans: string[];
  /** Blobs referenced by something this pass does not know: kept, outside the budgets. */
  pinned: string[];
}

/** Every live entry that holds a blob: asset records and the input references of existing jobs. */
async function collect(deps: RetentionDeps, cutoff: number): Promise<Collected> {
  const entries: StoredEntry[] = [];
  const orphans: string[] = [];
  const pinned: string[] = [];
  const legacy = new Map<string, string>();
  for await (const [key, value] of deps.storage.blobs.list()) {
    const ref = blobRefOf(value);
    if (!ref) continue;
    if (!key.startsWith(INPUT)) {
      legacy.set(key, ref.hash);
      continue;
    }
    const jobId = key.slice(INPUT.length);
    const job = await deps.storage.jobs.get(jobId);
    if (!job) {
      // A reference is written just before its job: a young one may be waiting for it.
      if ((ref.at ?? 0) < cutoff) orphans.push(key);
      else pinned.push(ref.hash);
      continue;
    }
    entries.push({
      id: key,
      kind: 'input',
      hash: ref.hash,
      size: ref.size,
      createdAt: ref.at ?? 0,
      jobId,
      ...(job.ownerKey ? { owner: job.ownerKey } : {}),
      ...(job.owner?.communityId ? { community: job.owner.communityId } : {}),
    });
  }
  const legacyUsed = new Set<string>();
  for await (const r of deps.assets.all()) {
    const key = legacyKeyOf(r);
    if (key) legacyUsed.add(key);
    const hash = key ? legacy.get(key) : r.hash;
    if (!hash) continue;
    entries.push({
      id: r.id,
      kind: r.upload ? 'upload' : 'output',
      hash,
      size: r.size,
      owner: r.owner,
      createdAt: r.createdAt,
      ...(r.community ? { community: r.community } : {}),
      ...(r.jobId ? { jobId: r.jobId } : {}),
    });
  }
  for (const [key, hash] of legacy) {
    if (legacyUsed.has(key)) continue;
    if (key.startsWith(LEGACY_ASSET)) orphans.push(key);
    else pinned.push(hash);
  }
  return { entries, orphans, pinned };
}
