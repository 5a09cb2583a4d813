import type { BackendConfig } from '../../config/index.ts';
import type { BackendSettings } from './backend.ts';

/** Where a `comfy-api-v2` backend's key comes from when the configuration names none. */
export const API_KEY_VARS = ['COMFYRELAY_COMFY_API_KEY', 'COMFY_API_KEY'] as const;

/**
 * The pool's settings for each configured backend: ComfyUI ones with their auth and stable client id,
 * v2 ones with their key (from the file, else the environment), slots, overflow rule, budget and
 * declared capabilities.
 */
export function backendSettings(
  backends: readonly BackendConfig[],
  clientIds: ReadonlyMap<string, string>,
  env: Record<string, string | undefined> = process.env,
): BackendSettings[] {
  const envKey = API_KEY_VARS.map((n) => env[n]?.trim()).find((v) => v);
  return backends.map((b) => ({
    name: b.name,
    url: b.url,
    kind: b.kind,
    clientId: clientIds.get(b.name),
    weight: b.weight,
    tags: b.tags,
    maxQueued: b.maxQueued,
    auth: { headers: b.headers, ...(b.auth ?? {}) },
    ...(b.kind === 'comfy-api-v2' ? { apiKey: b.apiKey ?? envKey, slots: b.slots } : {}),
    ...(b.overflow ? { overflow: { afterWaitMs: b.overflow.afterWaitSeconds * 1000 } } : {}),
    ...(b.budget ? { budget: b.budget } : {}),
    ...(b.capabilities ? { capabilities: b.capabilities } : {}),
  }));
}
