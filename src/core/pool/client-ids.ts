import { randomUUID } from 'node:crypto';

/** The part of the storage that keeps a value per key across restarts and processes (`Storage.claim`). */
export interface ClientIdStore {
  claim(key: string, holder: string, ttlMs: number): Promise<string | undefined>;
}

/**
 * Long enough to outlive any job; the id is read at every start. Should it lapse, the next start picks
 * a new one, and only a job re-attached across that start misses its progress.
 */
const CLIENT_ID_TTL_MS = 365 * 24 * 3600 * 1000;

/**
 * The ComfyUI client id of this instance for each backend, the same after a restart. ComfyUI sends a
 * prompt's progress only to the WebSocket of the client id it was submitted with: a process that
 * re-attaches its prompts after a restart must connect with that id again to see them progress.
 * The first start claims fresh ids; a later one gets the stored ids back (claimed atomically, so two
 * starts sharing the storage agree).
 */
export async function stableClientIds(
  store: ClientIdStore,
  instanceId: string,
  backends: readonly string[],
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const backend of backends) {
    const fresh = randomUUID();
    const stored = await store.claim(`clientId:${instanceId}:${backend}`, fresh, CLIENT_ID_TTL_MS);
    ids.set(backend, stored ?? fresh);
  }
  return ids;
}
