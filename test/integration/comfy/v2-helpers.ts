import {
  ComfyApiV2Client,
  type ComfyApiV2ClientOptions,
  type ComfyJobEvent,
} from '../../../src/comfy/index.ts';
import type { FakeCloud } from '../../fakes/cloud/index.ts';

export const CLOUD_KEY = 'comfyui-test-Key-7f3d2c1b9a8e4d6f';
export const PNG_MAGIC = '89504e470d0a1a0a';

/** A small API-format graph the stand-in runs: a sampler, a saved image. */
export function cloudWorkflow(
  seed = 1,
): Record<string, { class_type: string; inputs: Record<string, unknown>; _meta?: { title: string } }> {
  return {
    '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'sd15.safetensors' } },
    '3': {
      class_type: 'KSampler',
      inputs: { seed, steps: 4, model: ['4', 0] },
      _meta: { title: 'Main sampler' },
    },
    '9': { class_type: 'SaveImage', inputs: { images: ['3', 0], filename_prefix: 'ComfyUI' } },
  };
}

const clients: ComfyApiV2Client[] = [];

/** A client for the stand-in with test-sized pauses; closed by `closeClients`. */
export function cloudClient(cloud: FakeCloud, extra: ComfyApiV2ClientOptions = {}): ComfyApiV2Client {
  const c = new ComfyApiV2Client({
    baseUrl: cloud.url,
    apiKey: CLOUD_KEY,
    retryDelayMs: 20,
    requestTimeoutMs: 5000,
    ...extra,
  });
  clients.push(c);
  return c;
}

export async function closeClients(): Promise<void> {
  await Promise.all(clients.splice(0).map((c) => c.close()));
}

export function recorder() {
  const events: ComfyJobEvent[] = [];
  return {
    events,
    onEvent: (e: ComfyJobEvent) => events.push(e),
    types: () => events.map((e) => e.type),
    /** Resolves at the first event of this type. */
    next(type: ComfyJobEvent['type']): Promise<void> {
      return until(() => events.some((e) => e.type === type));
    },
  };
}

export async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
