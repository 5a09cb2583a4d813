import { randomUUID } from 'node:crypto';
import { err, ok, type Result } from '../../shared/result.ts';
import type { Store } from '../storage/store.ts';
import { contentHash } from './content-hash.ts';
import { type OwnerEntry, OwnerIndex, type OwnerUsage, usageOf } from './owner-index.ts';

export type { OwnerUsage } from './owner-index.ts';

/** A user-owned file: an uploaded input or a job's output. Bytes live in `blobs`, per owner and content. */
export interface AssetRecord {
  id: string;
  owner: string;
  /** `blake3:<hex>` of the bytes, computed here (records from before blake3 may carry `sha256:`). */
  hash: string;
  /** The blob key of the bytes; absent on records written before per-owner blobs (then `asset:<sha256>`). */
  blob?: string;
  /** Legacy: the SHA-256 the bytes were once stored under. */
  sha256?: string;
  size: number;
  contentType: string;
  filePath?: string;
  jobId?: string;
  nodeId?: string;
  kind?: 'image' | 'video' | 'audio' | 'text' | 'file';
  /** Sent by the owner rather than made by a job (counts against the storage quota). */
  upload?: boolean;
  createdAt: number;
  expiresAt: number;
}

export interface AssetStoreOptions {
  records: Store<unknown>;
  blobs: Store<string>;
  /** How long assets are kept (default 7 days). */
  retentionMs?: number;
}

export interface NewAsset {
  owner: string;
  bytes: Uint8Array;
  contentType: string;
  filePath?: string;
  /** The bytes' `contentHash`, when the caller already computed it (to verify a client's). */
  hash?: string;
  jobId?: string;
  nodeId?: string;
  kind?: AssetRecord['kind'];
  upload?: boolean;
}

/** Most an owner may keep of uploads; checked and taken atomically with the write (per process). */
export interface StorageQuota {
  bytes: number;
  count: number;
}

export interface QuotaRefused {
  usage: OwnerUsage;
}

const isAsset = (v: unknown): v is AssetRecord =>
  typeof v === 'object' && v !== null && 'owner' in v && 'hash' in v && ('blob' in v || 'sha256' in v);

const blobOf = (r: AssetRecord): string => r.blob ?? `asset:${r.sha256}`;

const entryOf = (r: AssetRecord): OwnerEntry => ({
  id: r.id,
  blob: blobOf(r),
  size: r.size,
  createdAt: r.createdAt,
  expiresAt: r.expiresAt,
  upload: r.upload === true,
});

/**
 * Assets by id, by owner-scoped hash, by job and by owner. Bytes are stored per owner (`asset:<owner>:
 * <hash>`), so hash look-ups reveal nothing across owners and deleting an owner's last record of some
 * content deletes the bytes too, which is what makes a per-owner storage quota mean something.
 */
export class AssetStore {
  readonly #o: Required<AssetStoreOptions>;
  readonly #index: OwnerIndex;

  constructor(options: AssetStoreOptions) {
    this.#o = { retentionMs: 7 * 24 * 3600_000, ...options };
    this.#index = new OwnerIndex(options.records);
  }

  /** Stores bytes and a record over them (a job's output: no quota). */
  async put(input: NewAsset): Promise<AssetRecord> {
    const stored = await this.#put(input);
    if (!stored.ok) throw new Error('unreachable: no quota');
    return stored.value;
  }

  /** Stores an owner's upload; refused (nothing stored) when it would exceed `quota`. */
  putUpload(
    input: Omit<NewAsset, 'upload'>,
    quota: StorageQuota,
  ): Promise<Result<AssetRecord, QuotaRefused>> {
    return this.#put({ ...input, upload: true }, quota);
  }

  async #put(input: NewAsset, quota?: StorageQuota): Promise<Result<AssetRecord, QuotaRefused>> {
    const hash = input.hash ?? (await contentHash(input.bytes));
    const blob = `asset:${input.owner}:${hash}`;
    const now = Date.now();
    const record: AssetRecord = {
      id: randomUUID(),
      owner: input.owner,
      hash,
      blob,
      size: input.bytes.length,
      contentType: input.contentType,
      filePath: input.filePath,
      jobId: input.jobId,
      nodeId: input.nodeId,
      kind: input.kind,
      ...(input.upload ? { upload: true } : {}),
      createdAt: now,
      expiresAt: now + this.#o.retentionMs,
    };
    return this.#index.update<Result<AssetRecord, QuotaRefused>>(input.owner, async (entries) => {
      const after = [entryOf(record), ...entries];
      const usage = usageOf(after);
      if (quota && input.upload && (usage.bytes > quota.bytes || usage.count > quota.count))
        return { entries, result: err({ usage: usageOf(entries) }) };
      // Written even when the owner has these bytes already: the write renews their expiry with the record's.
      await this.#o.blobs.set(blob, Buffer.from(input.bytes).toString('base64'), this.#o.retentionMs);
      await this.#save(record);
      return { entries: after, result: ok(record) };
    });
  }

  /**
   * A new upload record over bytes this owner already has under `hash` (the client's dedup); undefined
   * when it has none, refused when `quota`'s count would be exceeded.
   */
  async fromHash(
    owner: string,
    hash: string,
    filePath?: string,
    quota?: StorageQuota,
  ): Promise<Result<AssetRecord, QuotaRefused> | undefined> {
    const existing = await this.byHash(owner, hash);
    if (!existing) return undefined;
    const now = Date.now();
    const record: AssetRecord = {
      ...existing,
      id: randomUUID(),
      filePath: filePath ?? existing.filePath,
      jobId: undefined,
      nodeId: undefined,
      upload: true,
      createdAt: now,
      expiresAt: Math.min(existing.expiresAt, now + this.#o.retentionMs),
    };
    return this.#index.update<Result<AssetRecord, QuotaRefused>>(owner, async (entries) => {
      const after = [entryOf(record), ...entries];
      const usage = usageOf(after);
      if (quota && (usage.bytes > quota.bytes || usage.count > quota.count))
        return { entries, result: err({ usage: usageOf(entries) }) };
      await this.#save(record);
      return { entries: after, result: ok(record) };
    });
  }

  async byHash(owner: string, hash: string): Promise<AssetRecord | undefined> {
    const id = await this.#o.records.get(`h:${owner}:${hash}`);
    const record = typeof id === 'string' ? await this.get(id) : undefined;
    return record && (await this.#o.blobs.get(blobOf(record))) !== undefined ? record : undefined;
  }

  async get(id: string): Promise<AssetRecord | undefined> {
    const v = await this.#o.records.get(`a:${id}`);
    return isAsset(v) ? v : undefined;
  }

  async bytes(record: AssetRecord): Promise<Buffer | undefined> {
    const b64 = await this.#o.blobs.get(blobOf(record));
    return b64 === undefined ? undefined : Buffer.from(b64, 'base64');
  }

  /** The outputs stored for a job, in the order they were stored. */
  async forJob(jobId: string): Promise<AssetRecord[]> {
    const ids = await this.#o.records.get(`j:${jobId}`);
    if (!Array.isArray(ids)) return [];
    const records = await Promise.all(ids.map((id) => this.get(String(id))));
    return records.filter((r): r is AssetRecord => r !== undefined);
  }

  /** Records a job's outputs at once (replacing any earlier attempt, so delivery stays idempotent). */
  async setJobOutputs(jobId: string, records: AssetRecord[]): Promise<void> {
    const old = await this.#o.records.get(`j:${jobId}`);
    await this.#o.records.set(
      `j:${jobId}`,
      records.map((r) => r.id),
      this.#o.retentionMs,
    );
    if (Array.isArray(old))
      for (const id of old) if (!records.some((r) => r.id === id)) await this.delete(String(id));
  }

  /** An owner's assets, newest first, `limit` at a time after the asset id `after`. */
  async list(owner: string, options: { limit: number; after?: string }): Promise<AssetRecord[]> {
    const entries = await this.#index.entries(owner);
    const start = options.after ? entries.findIndex((e) => e.id === options.after) + 1 : 0;
    if (options.after && start === 0) return [];
    const page: AssetRecord[] = [];
    for (const e of entries.slice(start)) {
      if (page.length >= options.limit) break;
      const record = await this.get(e.id);
      if (record) page.push(record);
    }
    return page;
  }

  /** What an owner's uploads take up now. */
  usage(owner: string): Promise<OwnerUsage> {
    return this.#index.usage(owner);
  }

  /** Deletes the record, and the bytes when no other record of the owner still uses them. */
  async delete(id: string): Promise<boolean> {
    const record = await this.get(id);
    if (!record) return this.#o.records.delete(`a:${id}`);
    const blob = blobOf(record);
    return this.#index.update(record.owner, async (entries) => {
      const rest = entries.filter((e) => e.id !== id);
      const sameBytes = rest.find((e) => e.blob === blob);
      const deleted = await this.#o.records.delete(`a:${id}`);
      const hashKey = `h:${record.owner}:${record.hash}`;
      if (sameBytes) {
        if ((await this.#o.records.get(hashKey)) === id)
          await this.#o.records.set(hashKey, sameBytes.id, sameBytes.expiresAt - Date.now());
      } else {
        await this.#o.records.delete(hashKey);
        if (record.blob) await this.#o.blobs.delete(blob);
      }
      return { entries: rest, result: deleted };
    });
  }

  async #save(record: AssetRecord): Promise<void> {
    const ttl = record.expiresAt - Date.now();
    await this.#o.records.set(`a:${record.id}`, record, ttl);
    await this.#o.records.set(`h:${record.owner}:${record.hash}`, record.id, ttl);
  }
}
