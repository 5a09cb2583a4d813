import { statSync } from 'node:fs';
import type { DatabaseSync } from 'node:sqlite';
import { Keyv } from 'keyv';
import type { CompactReport, StorageBackend } from './backend.ts';
import { deserializeValue, serializeValue } from './value-codec.ts';
import { openSqlite, SqliteKeyvStore } from './sqlite-keyv-store.ts';

/**
 * Storage in one SQLite file (embedded mode). Key-value data lives in the Keyv table; claims, sets and
 * logs get tables of their own because they need single-statement atomicity or ordering.
 */
export function sqliteBackend(path: string, now: () => number = Date.now): StorageBackend {
  const db = openSqlite(path);
  createTables(db);
  const sql = {
    claim: db.prepare(
      `INSERT INTO claims (key, holder, expires) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET holder = excluded.holder, expires = excluded.expires
       WHERE claims.expires <= ?`,
    ),
    holder: db.prepare('SELECT holder FROM claims WHERE key = ?'),
    purgeClaims: db.prepare('DELETE FROM claims WHERE expires <= ?'),
    setAdd: db.prepare('INSERT OR IGNORE INTO sets (name, id) VALUES (?, ?)'),
    setRemove: db.prepare('DELETE FROM sets WHERE name = ? AND id = ?'),
    setMembers: db.prepare('SELECT id FROM sets WHERE name = ? ORDER BY id'),
    logAppend: db.prepare('INSERT INTO logs (name, entry) VALUES (?, ?)'),
    logLatest: db.prepare('SELECT entry FROM logs WHERE name = ? ORDER BY seq DESC LIMIT ?'),
    logOldest: db.prepare('SELECT entry FROM logs WHERE name = ? ORDER BY seq ASC LIMIT ?'),
    logDropOldest: db.prepare(
      'DELETE FROM logs WHERE seq IN (SELECT seq FROM logs WHERE name = ? ORDER BY seq ASC LIMIT ?)',
    ),
  };
  const purgeExpired = () =>
    Number(sql.purgeClaims.run(now()).changes) + new SqliteKeyvStore({ db, now }).purgeExpired();
  purgeExpired();

  return {
    keyv: (namespace) =>
      new Keyv({
        store: new SqliteKeyvStore({ db, now }),
        namespace,
        throwOnErrors: true,
        serialize: serializeValue,
        deserialize: deserializeValue,
      }),
    async claim(key, holder, ttlMs) {
      const at = now();
      // One statement: it inserts, or takes over an expired claim, or changes nothing.
      if (sql.claim.run(key, holder, at + ttlMs, at).changes === 1) return undefined;
      return (sql.holder.get(key) as { holder: string } | undefined)?.holder ?? holder;
    },
    async setAdd(set, id) {
      sql.setAdd.run(set, id);
    },
    async setRemove(set, id) {
      sql.setRemove.run(set, id);
    },
    async setMembers(set) {
      return (sql.setMembers.all(set) as Array<{ id: string }>).map((row) => row.id);
    },
    async logAppend(log, entry) {
      sql.logAppend.run(log, entry);
    },
    async logLatest(log, limit) {
      return (sql.logLatest.all(log, limit) as Array<{ entry: string }>).map((row) => row.entry);
    },
    async logOldest(log, limit) {
      return (sql.logOldest.all(log, limit) as Array<{ entry: string }>).map((row) => row.entry);
    },
    async logDropOldest(log, count) {
      if (count > 0) sql.logDropOldest.run(log, count);
    },
    async compact() {
      return compactFile(db, path, purgeExpired());
    },
    async close() {
      if (db.isOpen) db.close();
    },
  };
}

/**
 * Gives the pages freed by deletions back to the file system: incrementally where the file was made so
 * (every file created since retention exists), otherwise with one full VACUUM that converts it (a file
 * from before, whose base64 bytes just moved to the blob store), then truncates the write-ahead log.
 */
function compactFile(db: DatabaseSync, path: string, expired: number): CompactReport {
  const pragma = (name: string) => Number(Object.values(db.prepare(`PRAGMA ${name}`).get() ?? {})[0]);
  if (pragma('auto_vacuum') !== 2) db.exec('PRAGMA auto_vacuum = INCREMENTAL; VACUUM;');
  else if (pragma('freelist_count') > 0) db.exec('PRAGMA incremental_vacuum;');
  db.exec('PRAGMA wal_checkpoint(TRUNCATE);');
  return { expired, fileBytes: fileBytes(path) };
}

function fileBytes(path: string): number {
  if (path === ':memory:' || path === '') return 0;
  const size = (p: string) => statSync(p, { throwIfNoEntry: false })?.size ?? 0;
  return size(path) + size(`${path}-wal`);
}

function createTables(db: DatabaseSync): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS claims (key TEXT PRIMARY KEY, holder TEXT NOT NULL, expires INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS sets (name TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (name, id));
    CREATE TABLE IF NOT EXISTS logs (seq INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, entry TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS logs_by_name ON logs (name, seq);
  `);
}
