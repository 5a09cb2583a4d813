import { createBLAKE3 } from 'hash-wasm';

/** Hashes bytes fed to it piece by piece; `digest` gives the blob hash form, `blake3:<64 hex>`. */
export interface ContentHasher {
  update(chunk: Uint8Array): void;
  digest(): string;
}

/**
 * A streaming BLAKE3 in WebAssembly (hash-wasm, as `@comfyorg/sdk` computes `expected_hash`), so an upload
 * is hashed while it is written and never held whole.
 */
export async function contentHasher(): Promise<ContentHasher> {
  const hasher = await createBLAKE3();
  hasher.init();
  return {
    update: (chunk) => void hasher.update(chunk),
    digest: () => `blake3:${hasher.digest('hex')}`,
  };
}
