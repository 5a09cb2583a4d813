import type { Harness } from './harness.ts';
import { kSampler } from '../../helpers/sd-nodes.ts';

/** Small request helpers shared by the hardening tests. */

export const imagine = (
  h: Harness,
  body: unknown,
  query = '',
  headers: Record<string, string> = {},
): Promise<Response> =>
  fetch(`${h.url}/api/relay/imagine${query}`, {
    method: 'POST',
    headers: { ...h.auth(), 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

export const postJob = (h: Harness, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(`${h.url}/api/v2/jobs`, {
    method: 'POST',
    headers: { ...h.auth(), 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

export function upload(
  h: Harness,
  bytes: Uint8Array | Blob,
  fields: Record<string, string> = {},
  name = 'in.png',
  headers: Record<string, string> = {},
): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', bytes instanceof Blob ? bytes : new Blob([new Uint8Array(bytes)]), name);
  return fetch(`${h.url}/api/v2/assets`, {
    method: 'POST',
    headers: { ...h.auth(), ...headers },
    body: form,
  });
}

export interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> | null };
}

export const errorOf = async (res: Response): Promise<ErrorBody['error']> =>
  ((await res.json()) as ErrorBody).error;

/** A one-node-chain txt2img graph the fake ComfyUI runs (checkpoint → … → SaveImage). */
export function txt2imgGraph(
  prefix = 'ComfyUI',
): Record<string, { class_type: string; inputs: Record<string, unknown> }> {
  return {
    '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'v1-5-pruned-emaonly.safetensors' } },
    '5': { class_type: 'EmptyLatentImage', inputs: { width: 64, height: 64, batch_size: 1 } },
    '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a fox', clip: ['4', 1] } },
    '7': { class_type: 'CLIPTextEncode', inputs: { text: '', clip: ['4', 1] } },
    '3': kSampler(1, 2),
    '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
    '9': { class_type: 'SaveImage', inputs: { filename_prefix: prefix, images: ['8', 0] } },
  };
}
