import type { OwnerEntry } from './owner-index.ts';

/** A user-owned file: an uploaded input or a job's output. Its bytes are a blob, shared by content. */
export interface AssetRecord {
  id: string;
  owner: string;
  /** `blake3:<hex>` of the bytes: the blob holding them (records from before blake3 may carry `sha256:`). */
  hash: string;
  /** Legacy: the `storage.blobs` key that held the bytes before the blob store (`asset:<owner>:<hash>`). */
  blob?: string;
  /** Legacy: the SHA-256 the bytes were once stored under (then under `asset:<sha256>`). */
  sha256?: string;
  size: number;
  contentType: string;
  filePath?: string;
  jobId?: string;
  nodeId?: string;
  kind?: 'image' | 'video' | 'audio' | 'text' | 'file';
  /** Sent by the owner rather than made by a job (counts against the storage quota). */
  upload?: boolean;
  /** The community (guild, chat, key group) it was made in, for its disk budget. */
  community?: string;
  /** A job output's safety decision (HTTP serves a `block`ed one to nobody, a `blur`red one blurred). */
  safety?: AssetSafety;
  createdAt: number;
  expiresAt: number;
}

/** The safety stage's decision on an output, as kept with it (never the image itself). */
export interface AssetSafety {
  action: 'allow' | 'spoiler' | 'blur' | 'block';
  rule: 'explicit' | 'suggestive' | 'unknown' | 'none';
  scores?: Record<string, number>;
}

export const isAssetRecord = (v: unknown): v is AssetRecord =>
  typeof v === 'object' && v !== null && 'owner' in v && 'hash' in v && typeof v.hash === 'string';

/** The legacy key of a record's bytes in `storage.blobs`; undefined for a record over a blob. */
export function legacyKeyOf(r: AssetRecord): string | undefined {
  if (r.blob) return r.blob;
  return r.sha256 ? `asset:${r.sha256}` : undefined;
}

/** What identifies the bytes within an owner's index: the blob hash, or the legacy key. */
export const contentOf = (r: AssetRecord): string => legacyKeyOf(r) ?? r.hash;

export const entryOf = (r: AssetRecord): OwnerEntry => ({
  id: r.id,
  blob: contentOf(r),
  size: r.size,
  createdAt: r.createdAt,
  expiresAt: r.expiresAt,
  upload: r.upload === true,
});
