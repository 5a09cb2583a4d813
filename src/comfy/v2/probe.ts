import type { ComfyLow } from '@comfyorg/sdk/low';
import type { V2Condition } from './condition.ts';
import { redact } from './errors.ts';
import type { Slots } from './slots.ts';
import { serviceError } from './translate.ts';

/** What `doctor` and health checks learn about a v2 backend without running (or paying for) anything. */
export interface V2Probe {
  reachable: boolean;
  /** False when the service refused the key (401/403); undefined when that could not be told. */
  keyValid?: boolean;
  condition: V2Condition;
  slots: { size: number; used: number };
  /** Why it is unreachable or the key was refused, free of credentials. */
  error?: string;
}

/** A hash no blob has: asking for it is a read that proves reachability and the key's validity. */
const NO_SUCH_HASH = `blake3:${'0'.repeat(64)}`;

/** HEAD /api/v2/assets/by-hash/…: 200 or 404 mean reachable with a good key, 401/403 a refused key. */
export async function probeV2(
  low: ComfyLow,
  o: { timeoutMs: number; secret: string | undefined; condition: V2Condition; slots: Slots },
): Promise<V2Probe> {
  const base = { condition: o.condition, slots: { size: o.slots.size, used: o.slots.used } };
  try {
    await low.headAssetByHash(NO_SUCH_HASH, { signal: AbortSignal.timeout(o.timeoutMs) });
    return { ...base, reachable: true, keyValid: true };
  } catch (error) {
    const answer = serviceError(error);
    if (answer && (answer.httpStatus === 401 || answer.httpStatus === 403)) {
      return { ...base, reachable: true, keyValid: false, error: `HTTP ${answer.httpStatus}` };
    }
    const text = answer
      ? `HTTP ${answer.httpStatus} ${answer.code}`
      : error instanceof Error
        ? String((error.cause as { code?: string } | undefined)?.code ?? error.message)
        : String(error);
    return { ...base, reachable: answer !== undefined, error: redact(text, o.secret) };
  }
}
