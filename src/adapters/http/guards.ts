import type { Deps } from './context.ts';
import { IdempotencyLedger } from './idempotency.ts';
import { SlidingRate, Slots } from './key-limits.ts';
import { type HttpLimits, httpLimitsSection } from './limits.ts';

/** The HTTP server's own protective state: limits, idempotency, and the per-key counters. */
export interface Guards {
  limits: HttpLimits;
  idempotency: IdempotencyLedger;
  uploadRate: SlidingRate;
  /** Uploads being read by the whole process. */
  uploadSlots: Slots;
  /** Open event streams per key. */
  streams: Slots;
}

/** `http.limits` with its defaults (a config loaded before the section existed has none). */
export function limitsOf(deps: Pick<Deps, 'config'>): HttpLimits {
  const http = deps.config as { limits?: HttpLimits };
  return http.limits ?? httpLimitsSection.parse(undefined);
}

export function createGuards(deps: Deps): Guards {
  const limits = limitsOf(deps);
  return {
    limits,
    // Idempotency records share the HTTP assets namespace (`idem:` keys): both are the API's own data.
    idempotency: new IdempotencyLedger(deps.records.records, (key, holder, ttl) =>
      deps.records.claim(key, holder, ttl),
    ),
    uploadRate: new SlidingRate(limits.uploadsPerMinute, 60_000),
    uploadSlots: new Slots(limits.concurrentUploads),
    streams: new Slots(limits.streamsPerKey),
  };
}
