import type { StorageBackend } from './backend.ts';

/** One administrative action, kept `retention.auditDays` (append-only). */
export interface AuditEntry {
  /** Epoch milliseconds. */
  at: number;
  /** Who did it, as a quota key such as `discord:123` or `id:alice`. */
  actor: string;
  /** A stable verb, e.g. `quota.reset`, `user.ban`, `backend.drain`. */
  action: string;
  target?: string;
  details?: Record<string, unknown>;
}

export interface AuditLog {
  appendAudit(entry: AuditEntry): Promise<void>;
  /** The newest `limit` entries, newest first. */
  listAudit(limit: number): Promise<AuditEntry[]>;
  /** Drops the entries made before `before` (ms epoch); returns how many. */
  pruneAudit(before: number): Promise<number>;
  /** How many entries `pruneAudit(before)` would drop, dropping none (`comfyrelay retention run --dry-run`). */
  countAuditBefore(before: number): Promise<number>;
}

const LOG = 'audit';
const PAGE = 500;

export function auditLog(backend: StorageBackend): AuditLog {
  return {
    appendAudit: (entry) => backend.logAppend(LOG, JSON.stringify(entry)),
    async listAudit(limit) {
      return (await backend.logLatest(LOG, limit)).map((line) => JSON.parse(line) as AuditEntry);
    },
    async pruneAudit(before) {
      let dropped = 0;
      for (;;) {
        const oldest = await backend.logOldest(LOG, PAGE);
        const old = oldest.findIndex((line) => !(atOf(line) < before));
        const count = old === -1 ? oldest.length : old;
        await backend.logDropOldest(LOG, count);
        dropped += count;
        if (count < PAGE) return dropped;
      }
    },
    async countAuditBefore(before) {
      for (let limit = PAGE; ; limit *= 4) {
        const oldest = await backend.logOldest(LOG, limit);
        const young = oldest.findIndex((line) => !(atOf(line) < before));
        if (young !== -1) return young;
        if (oldest.length < limit) return oldest.length;
      }
    },
  };
}

/** An entry's time; an unreadable line counts as old (it cannot be shown anyway). */
function atOf(line: string): number {
  try {
    const at = (JSON.parse(line) as Partial<AuditEntry>).at;
    return typeof at === 'number' ? at : 0;
  } catch {
    return 0;
  }
}
