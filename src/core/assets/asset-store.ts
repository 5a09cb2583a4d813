import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { err, ok, type Result } from '#shared/result.ts';
import { blobRefOf } from '../blobs/blob-refs.ts';
import type { BlobStore, ByteRange, StagedBlob } from '../blobs/blob-store.ts';
import type { Store } from '../storage/store.ts';
import { type AssetRecord, contentOf, entryOf, isAssetRecord, legacyKeyOf } from './asset-record.ts';
import { OwnerIndex, type OwnerUsage, usageOf } from './owner-index.ts';

export type { AssetRecord } from './asset-record.ts';
export type { OwnerUsage } from './owner-index.ts';

export interface AssetStoreOptions {
  records: Store<unknown>;
  blobs: BlobStore;
  /** `storage.blobs`: where records from before the blob store find their bytes (now references). */
  legacy?: Store<unknown>;
  /** How long assets are kept (default 7 days, `retention.assetsDays`). */
  retentionMs?: number;
}

interface AssetFields {
  owner: string;
  contentType: string;
  filePath?: string;
  jobId?: string;
  nodeId?: string;
  kind?: AssetRecord['kind'];
  community?: string;
  safety?: AssetRecord['safety'];
}

export interface NewAsset extends AssetFields {
  bytes: Uint8Array;
  upload?: boolean;
}

/** An upload already streamed to the blob store's staging area, kept only if the quota allows. */
export interface NewUpload extends Omit<AssetFields, 'jobId' | 'nodeId' | 'kind' | 'safety'> {
  staged: StagedBlob;
}

/** Most an owner may keep of uploads; checked and taken atomically with the write (per process). */
export interface StorageQuota {
  bytes: number;
  count: number;
}

export interface QuotaRefused {
  usage: OwnerUsage;
}

const over = (usage: OwnerUsage, quota: StorageQuota) =>
  usage.bytes > quota.bytes || usage.count > quota.count;

/**
 * Assets by id, by owner-scoped hash, by job and by owner; the bytes are blobs, shared by content. A hash
 * look-up only finds the caller's own records, so it reveals nothing across owners. Deleting a record
 * leaves the bytes to retention, which removes a blob once no record (of anyone) references it.
 */
export class AssetStore {
  readonly #o: Required<Omit<AssetStoreOptions, 'legacy'>> & Pick<AssetStoreOptions, 'legacy'>;
  readonly #index: OwnerIndex;

  constructor(options: AssetStoreOptions) {
    this.#o = { retentionMs: 7 * 24 * 3600_000, ...options };
    this.#index = new OwnerIndex(options.records);
  }

  get retentionMs(): number {
    return this.#o.retentionMs;
  }

  /** Stores bytes and a record over them (a job's output: no quota). */
  async put(input: NewAsset): Promise<AssetRecord> {
    const { bytes, ...fields } = input;
    const stored = await this.#o.blobs.put(bytes);
    if (!stored.ok) throw new Error('unreachable: no size limit');
    const record = this.#record(fields, stored.value.hash, stored.value.size, input.upload === true);
    return this.#index.update(input.owner, async (entries) => {
      await this.#save(record);
      return { entries: [entryOf(record), ...entries], result: record };
    });
  }

  /** Keeps an owner's staged upload; refused (the staged bytes discarded) when it would exceed `quota`. */
  putUpload(input: NewUpload, quota: StorageQuota): Promise<Result<AssetRecord, QuotaRefused>> {
    const { staged, ...fields } = input;
    const record = this.#record(fields, staged.hash, staged.size, true);
    return this.#index.update<Result<AssetRecord, QuotaRefused>>(input.owner, async (entries) => {
      const after = [entryOf(record), ...entries];
      if (over(usageOf(after), quota)) {
        await staged.discard();
        return { entries, result: err({ usage: usageOf(entries) }) };
      }
      await staged.commit();
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
      if (quota && over(usageOf(after), quota)) return { entries, result: err({ usage: usageOf(entries) }) };
      await this.#save(record);
      return { entries: after, result: ok(record) };
    });
  }

  /** The owner's record of content `hash`, if its bytes are still there. */
  async byHash(owner: string, hash: string): Promise<AssetRecord | undefined> {
    const id = await this.#o.records.get(`h:${owner}:${hash}`);
    const record = typeof id === 'string' ? await this.get(id) : undefined;
    return record && (await this.#has(record)) ? record : undefined;
  }

  async get(id: string): Promise<AssetRecord | undefined> {
    const v = await this.#o.records.get(`a:${id}`);
    return isAssetRecord(v) ? v : undefined;
  }

  /** The record's bytes (or a range of them) as a stream; undefined when they are gone. */
  async open(record: AssetRecord, range?: ByteRange): Promise<Readable | undefined> {
    const key = legacyKeyOf(record);
    if (!key) return this.#o.blobs.open(record.hash, range);
    const ref = await this.#o.legacy?.get(key);
    if (typeof ref === 'string') {
      const bytes = Buffer.from(ref, 'base64');
      return Readable.from([range ? bytes.subarray(range.start, range.end + 1) : bytes]);
    }
    const hash = blobRefOf(ref)?.hash;
    return hash ? this.#o.blobs.open(hash, range) : undefined;
  }

  /** The whole of the record's bytes in memory (an input image for a job). */
  async bytes(record: AssetRecord): Promise<Buffer | undefined> {
    const stream = await this.open(record);
    if (!stream) return undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
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

  /** Every live record of every owner, in no order (retention: what blobs are in use, what is oldest). */
  async *all(): AsyncIterable<AssetRecord> {
    for await (const [key, value] of this.#o.records.list())
      if (key.startsWith('a:') && isAssetRecord(value)) yield value;
  }

  /** What an owner's uploads take up now. */
  usage(owner: string): Promise<OwnerUsage> {
    return this.#index.usage(owner);
  }

  /** Deletes the record; its bytes go at the next retention run once nothing references them. */
  async delete(id: string): Promise<boolean> {
    const record = await this.get(id);
    if (!record) return this.#o.records.delete(`a:${id}`);
    const content = contentOf(record);
    return this.#index.update(record.owner, async (entries) => {
      const rest = entries.filter((e) => e.id !== id);
      const sameBytes = rest.find((e) => e.blob === content);
      const deleted = await this.#o.records.delete(`a:${id}`);
      const hashKey = `h:${record.owner}:${record.hash}`;
      if (sameBytes) {
        if ((await this.#o.records.get(hashKey)) === id)
          await this.#o.records.set(hashKey, sameBytes.id, sameBytes.expiresAt - Date.now());
      } else {
        await this.#o.records.delete(hashKey);
        // A legacy reference was this owner's alone (its key names the owner).
        if (record.blob) await this.#o.legacy?.delete(record.blob);
      }
      return { entries: rest, result: deleted };
    });
  }

  #record(fields: AssetFields, hash: string, size: number, upload: boolean): AssetRecord {
    const now = Date.now();
    return {
      id: randomUUID(),
      owner: fields.owner,
      hash,
      size,
      contentType: fields.contentType,
      filePath: fields.filePath,
      jobId: fields.jobId,
      nodeId: fields.nodeId,
      kind: fields.kind,
      ...(upload ? { upload: true } : {}),
      ...(fields.community ? { community: fields.community } : {}),
      ...(fields.safety ? { safety: fields.safety } : {}),
      createdAt: now,
      expiresAt: now + this.#o.retentionMs,
    };
  }

  async #has(record: AssetRecord): Promise<boolean> {
    const key = legacyKeyOf(record);
    if (!key) return (await this.#o.blobs.stat(record.hash)) !== undefined;
    return (await this.#o.legacy?.get(key)) !== undefined;
  }

  async #save(record: AssetRecord): Promise<void> {
    const ttl = record.expiresAt - Date.now();
    await this.#o.records.set(`a:${record.id}`, record, ttl);
    await this.#o.records.set(`h:${record.owner}:${record.hash}`, record.id, ttl);
  }
}
