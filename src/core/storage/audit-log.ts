import type { StorageBackend } from './backend.ts';

/** One administrative action, kept forever (append-only). */
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
}

const LOG = 'audit';

export function auditLog(backend: StorageBackend): AuditLog {
  return {
    appendAudit: (entry) => backend.logAppend(LOG, JSON.stringify(entry)),
    async listAudit(limit) {
      return (await backend.logLatest(LOG, limit)).map((line) => JSON.parse(line) as AuditEntry);
    },
  };
}
