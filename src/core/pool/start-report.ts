import type { UserMessage } from '#shared/i18n.ts';
import type { BackendPool } from './backend-pool.ts';
import './catalog-pool.ts';

/**
 * One line per backend for the operator at start: reachable with its ComfyUI version, or why not and
 * what to do about it; and a last line when none answers.
 */
export function backendStartLines(pool: BackendPool, waitForBackendSeconds: number): UserMessage[] {
  const lines: UserMessage[] = pool.backends.map((b) => {
    const where = { name: b.name, url: b.client.name };
    if (b.healthy) return { code: 'pool.start.reachable', params: { ...where, version: b.version ?? '?' } };
    const raw = b.lastError ?? 'no answer';
    const reason = /is unreachable \(([^)]+)\)/.exec(raw)?.[1] ?? raw;
    const refused = /\b(401|403)\b/.test(reason);
    return { code: refused ? 'pool.start.refused' : 'pool.start.unreachable', params: { ...where, reason } };
  });
  if (!pool.backends.some((b) => b.healthy))
    lines.push({ code: 'pool.start.none', params: { seconds: waitForBackendSeconds } });
  return lines;
}
