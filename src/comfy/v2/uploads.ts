import { createHash } from 'node:crypto';
import { type AssetFactory, HashMismatch } from '@comfyorg/sdk';
import type { AssetReference } from '../backend-client.ts';

const CONTENT_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  bmp: 'image/bmp',
};

/**
 * Input images put on a Comfy API v2 deployment as assets. The SDK hashes the bytes (blake3), asks
 * whether the service already has them, and uploads only if not; this keeps one reference per distinct
 * image per client, even when asked concurrently, and forgets a failed upload so the next call retries.
 */
export class AssetUploads {
  readonly #assets: AssetFactory;
  readonly #byContent = new Map<string, Promise<AssetReference>>();

  constructor(assets: AssetFactory) {
    this.#assets = assets;
  }

  upload(bytes: Uint8Array, extension = 'png'): Promise<AssetReference> {
    const ext = extension.replace(/[^a-z0-9]/gi, '').toLowerCase() || 'png';
    const digest = createHash('sha256').update(bytes).digest('hex').slice(0, 32);
    const filename = `comfyrelay_${digest}.${ext}`;
    const existing = this.#byContent.get(filename);
    if (existing) return existing;
    const upload = this.#commit(bytes, filename, CONTENT_TYPES[ext] ?? 'application/octet-stream');
    this.#byContent.set(filename, upload);
    upload.catch(() => this.#byContent.delete(filename));
    return upload;
  }

  async #commit(bytes: Uint8Array, filename: string, contentType: string): Promise<AssetReference> {
    try {
      return await this.#assets.fromBytes(bytes, { filename, contentType }).asReference();
    } catch (error) {
      // The service hashed different bytes than we did: the upload was damaged on its way. Once more.
      if (!(error instanceof HashMismatch)) throw error;
      return this.#assets.fromBytes(bytes, { filename, contentType }).asReference();
    }
  }
}
