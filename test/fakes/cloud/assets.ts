import { randomUUID } from 'node:crypto';
import { blake3 } from '@noble/hashes/blake3.js';
import { bytesToHex } from '@noble/hashes/utils.js';

export interface AssetRecord {
  id: string;
  hash: string;
  bytes: Uint8Array;
  contentType: string;
  filePath: string;
  createdAt: number;
  jobId?: string;
  nodeId?: string;
  kind?: string;
}

export const hashOf = (bytes: Uint8Array): string => `blake3:${bytesToHex(blake3(bytes))}`;

const FAR = '2099-01-01T00:00:00.000Z';

/** The stand-in's assets: records over content-addressed blobs, as the spec describes them. */
export class AssetStore {
  readonly #byId = new Map<string, AssetRecord>();
  readonly #blobs = new Map<string, Uint8Array>();

  get(id: string): AssetRecord | undefined {
    return this.#byId.get(id);
  }

  hasBlob(hash: string): boolean {
    return this.#blobs.has(hash);
  }

  /** Mints a record over the bytes; `createdNew` says whether the blob is new. */
  put(bytes: Uint8Array, contentType: string, filePath: string, extra: Partial<AssetRecord> = {}) {
    const hash = hashOf(bytes);
    const createdNew = !this.#blobs.has(hash);
    if (createdNew) this.#blobs.set(hash, bytes);
    const record: AssetRecord = {
      id: randomUUID(),
      hash,
      bytes: this.#blobs.get(hash)!,
      contentType,
      filePath,
      createdAt: Date.now(),
      ...extra,
    };
    this.#byId.set(record.id, record);
    return { record, createdNew };
  }

  fromHash(hash: string, filePath: string | undefined): AssetRecord | undefined {
    const bytes = this.#blobs.get(hash);
    if (!bytes) return undefined;
    return this.put(bytes, 'application/octet-stream', filePath ?? hash).record;
  }

  delete(id: string): boolean {
    return this.#byId.delete(id);
  }
}

/** The spec's `Asset` object. */
export function assetJson(a: AssetRecord, origin: string, createdNew?: boolean) {
  return {
    id: a.id,
    hash: a.hash,
    size_bytes: a.bytes.length,
    content_type: a.contentType,
    file_path: a.filePath,
    ...(createdNew === undefined ? {} : { created_new: createdNew }),
    created_at: new Date(a.createdAt).toISOString(),
    url: `${origin}/api/v2/assets/${a.id}/content`,
    url_expires_at: FAR,
    expires_at: FAR,
    job_id: a.jobId ?? null,
  };
}

/** The spec's `Output` object. */
export function outputJson(a: AssetRecord, origin: string) {
  return {
    node_id: a.nodeId ?? '',
    name: a.filePath,
    type: a.kind ?? 'file',
    content_type: a.contentType,
    size_bytes: a.bytes.length,
    id: a.id,
    hash: a.hash,
    url: `${origin}/api/v2/assets/${a.id}/content`,
    url_expires_at: FAR,
    job_id: a.jobId ?? null,
  };
}
