import { type AuditLog, auditLog } from './audit-log.ts';
import type { CompactReport, StorageBackend } from './backend.ts';
import { hasNonTerminalState, indexedJobStore, type JobStore } from './job-store.ts';
import { sqliteBackend } from './sqlite-backend.ts';
import { keyvStore, type Store } from './store.ts';

export type StorageOptions<Job> = (
  | { sqlitePath: string; now?: () => number }
  | { redisUrl: string; prefix?: string }
) & {
  /** Which jobs `jobs.listActive()` returns; default: a `state` that is not succeeded/failed/canceled/expired. */
  isActiveJob?: (job: Job) => boolean;
};

/**
 * Everything the engine keeps, by namespace. Embedded mode uses one SQLite file; shared mode uses Redis,
 * so several processes see the same jobs, quotas, claims and audit log.
 */
export interface Storage<Job = unknown, UserSettings = unknown> extends AuditLog {
  readonly jobs: JobStore<Job>;
  /** Per-person settings, keyed by quota key. */
  readonly users: Store<UserSettings>;
  /** Quota window consumption; values are validated by their reader. */
  readonly quota: Store<unknown>;
  /** Recent job ids per owner (quota key), newest first, for "your jobs" without scanning every job. */
  readonly owners: Store<string[]>;
  /**
   * Named references to blob-store bytes (`input:<job id>` → `{hash, size}`: a job's input image, so it
   * can be dispatched again after a restart). Values written before the blob store are base64 strings,
   * moved out by `migrateInlineBlobs`.
   */
  readonly blobs: Store<unknown>;
  /** HTTP API keys (hashed) by key id. */
  readonly keys: Store<unknown>;
  /** HTTP assets (uploaded inputs, job outputs): records and indexes; bytes live in the blob store. */
  readonly assets: Store<unknown>;
  /** Per community (guild, chat): allowed channels and templates, banned words, bans. */
  readonly communities: Store<unknown>;
  /** Linked identities: `platform:userId` → identity, and one-time link codes. */
  readonly links: Store<unknown>;
  /**
   * True the first time `key` is claimed within `ttlMs`, false for every repeat: the same platform event
   * delivered twice creates one job. Atomic across processes sharing the storage.
   */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;
  /** Like `claimOnce`, but records `holder` (e.g. the job id) and returns the existing holder on a repeat. */
  claim(key: string, holder: string, ttlMs: number): Promise<string | undefined>;
  /** After retention: drops expired entries kept lazily and shrinks the SQLite file (see the backend). */
  compact(): Promise<CompactReport>;
  close(): Promise<void>;
}

/**
 * @example
 * const storage = await createStorage<JobRecord>({ sqlitePath: 'data/comfyrelay.db' });
 * for await (const [id, job] of storage.jobs.listActive()) recover(job);
 */
export async function createStorage<Job = unknown, UserSettings = unknown>(
  options: StorageOptions<Job>,
): Promise<Storage<Job, UserSettings>> {
  const backend: StorageBackend =
    'sqlitePath' in options
      ? sqliteBackend(options.sqlitePath, options.now)
      : // Loaded only in shared mode: the Redis client is most of a short process's start-up (the CLI).
        await (await import('./redis-backend.ts')).redisBackend(options.redisUrl, options.prefix);
  const isActive = options.isActiveJob ?? hasNonTerminalState;
  return {
    jobs: indexedJobStore(keyvStore<Job>(backend.keyv('jobs')), backend, isActive),
    users: keyvStore<UserSettings>(backend.keyv('users')),
    quota: keyvStore<unknown>(backend.keyv('quota')),
    owners: keyvStore<string[]>(backend.keyv('owners')),
    blobs: keyvStore<unknown>(backend.keyv('blobs')),
    keys: keyvStore<unknown>(backend.keyv('keys')),
    assets: keyvStore<unknown>(backend.keyv('assets')),
    communities: keyvStore<unknown>(backend.keyv('communities')),
    links: keyvStore<unknown>(backend.keyv('links')),
    ...auditLog(backend),
    claim: (key, holder, ttlMs) => backend.claim(`idempotency:${key}`, holder, ttlMs),
    async claimOnce(key, ttlMs) {
      return (await backend.claim(`idempotency:${key}`, '1', ttlMs)) === undefined;
    },
    compact: () => backend.compact(),
    close: () => backend.close(),
  };
}
