import { createHash, randomUUID } from 'node:crypto';
import type { Store } from '../storage/store.ts';

/** A user-owned file: an uploaded input or a job's output. Bytes are content-addressed in `blobs`. */
export interface AssetRecord {
  id: string;
  owner: string;
  /** The content hash shown to clients: the client's declared `blake3:` hash if it sent one, else `sha256:`. */
  hash: string;
  sha256: string;
  size: number;
  contentType: string;
  filePath?: string;
  jobId?: string;
  nodeId?: string;
  kind?: 'image' | 'video' | 'audio' | 'text' | 'file';
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
  /** A client-declared hash (e.g. `blake3:<hex>`), indexed for this owner only. */
  declaredHash?: string;
  jobId?: string;
  nodeId?: string;
  kind?: AssetRecord['kind'];
}

const isAsset = (v: unknown): v is AssetRecord =>
  typeof v === 'object' && v !== null && 'sha256' in v && 'owner' in v;

/**
 * Assets by id, by owner-scoped hash and by job. Hash look-ups are per owner, so a client that declares
 * a wrong hash for its bytes can only confuse itself.
 */
export class AssetStore {
  readonly #o: Required<AssetStoreOptions>;

  constructor(options: AssetStoreOptions) {
    this.#o = { retentionMs: 7 * 24 * 3600_000, ...options };
  }

  async put(input: NewAsset): Promise<AssetRecord> {
    const sha256 = `sha256:${createHash('sha256').update(input.bytes).digest('hex')}`;
    const now = Date.now();
    const ttl = this.#o.retentionMs;
    await this.#o.blobs.set(`asset:${sha256}`, Buffer.from(input.bytes).toString('base64'), ttl);
    const record: AssetRecord = {
      id: randomUUID(),
      owner: input.owner,
      hash: input.declaredHash ?? sha256,
      sha256,
      size: input.bytes.length,
      contentType: input.contentType,
      filePath: input.filePath,
      jobId: input.jobId,
      nodeId: input.nodeId,
      kind: input.kind,
      createdAt: now,
      expiresAt: now + ttl,
    };
    await this.#save(record);
    return record;
  }

  /** A new asset over bytes this owner already has under `hash`; undefined when it has none. */
  async fromHash(owner: string, hash: string, filePath?: string): Promise<AssetRecord | undefined> {
    const existing = await this.byHash(owner, hash);
    if (!existing) return undefined;
    const now = Date.now();
    const record: AssetRecord = {
      ...existing,
      id: randomUUID(),
      filePath: filePath ?? existing.filePath,
      jobId: undefined,
      nodeId: undefined,
      createdAt: now,
      expiresAt: now + this.#o.retentionMs,
    };
    await this.#save(record);
    return record;
  }

  async byHash(owner: string, hash: string): Promise<AssetRecord | undefined> {
    const id = await this.#o.records.get(`h:${owner}:${hash}`);
    const record = typeof id === 'string' ? await this.get(id) : undefined;
    return record && (await this.#o.blobs.get(`asset:${record.sha256}`)) !== undefined ? record : undefined;
  }

  async get(id: string): Promise<AssetRecord | undefined> {
    const v = await this.#o.records.get(`a:${id}`);
    return isAsset(v) ? v : undefined;
  }

  async bytes(record: AssetRecord): Promise<Buffer | undefined> {
    const b64 = await this.#o.blobs.get(`asset:${record.sha256}`);
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
      for (const id of old)
        if (!records.some((r) => r.id === id)) await this.#o.records.delete(`a:${String(id)}`);
  }

  /** Deletes the record; the bytes expire with their retention (other records may share them). */
  async delete(id: string): Promise<boolean> {
    return this.#o.records.delete(`a:${id}`);
  }

  async #save(record: AssetRecord): Promise<void> {
    const ttl = record.expiresAt - Date.now();
    await this.#o.records.set(`a:${record.id}`, record, ttl);
    await this.#o.records.set(`h:${record.owner}:${record.sha256}`, record.id, ttl);
    if (record.hash !== record.sha256)
      await this.#o.records.set(`h:${record.owner}:${record.hash}`, record.id, ttl);
  }
}
