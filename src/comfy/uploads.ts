import { createHash } from 'node:crypto';
import { FormData } from 'undici';
import { ComfyHttpError } from './errors.ts';
import type { ComfyHttp } from './http.ts';

/** The name an input image is stored under: derived from its bytes, so identical bytes share one file. */
export function uploadName(bytes: Uint8Array, extension: string): string {
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 32);
  return `comfyrelay_${hash}.${extension.replace(/[^a-z0-9]/gi, '') || 'png'}`;
}

/**
 * Input images uploaded to one backend. Each distinct image is uploaded once per client, even when asked
 * for concurrently, and ComfyUI keeps the name for identical bytes, so a new client reuses it too.
 */
export class ImageUploads {
  readonly #http: ComfyHttp;
  readonly #byName = new Map<string, Promise<string>>();

  constructor(http: ComfyHttp) {
    this.#http = http;
  }

  /** Returns the value for `LoadImage.image`. A failed upload is forgotten, so the next call retries. */
  upload(bytes: Uint8Array, extension = 'png'): Promise<string> {
    const filename = uploadName(bytes, extension);
    const existing = this.#byName.get(filename);
    if (existing) return existing;
    const upload = this.#post(bytes, filename);
    this.#byName.set(filename, upload);
    upload.catch(() => this.#byName.delete(filename));
    return upload;
  }

  async #post(bytes: Uint8Array, filename: string): Promise<string> {
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(bytes)]), filename);
    form.append('type', 'input');
    const res = await this.#http.request('POST', '/upload/image', form);
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new ComfyHttpError(res.statusCode, 'POST', '/upload/image', text);
    const body = JSON.parse(text) as { name: string; subfolder?: string };
    return body.subfolder ? `${body.subfolder}/${body.name}` : body.name;
  }
}
