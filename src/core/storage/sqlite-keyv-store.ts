import { EventEmitter } from 'node:events';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { KeyvStoreAdapter, StoredData } from 'keyv';

export interface SqliteKeyvStoreOptions {
  /** A file path, or `:memory:`. Ignored when `db` is given. */
  path?: string;
  /** An open database to share (the caller closes it). */
  db?: DatabaseSync;
  /** Table name; several stores may share one table, Keyv namespaces keep them apart. */
  table?: string;
  /** Clock for expiry, injectable in tests. */
  now?: () => number;
}

const PAGE_SIZE = 200;

/**
 * A Keyv 5 store adapter over `node:sqlite`: one table `(key TEXT PRIMARY KEY, value TEXT, expires INTEGER)`,
 * WAL mode so several processes (or several `Keyv` instances) can share one file.
 * Expired rows read as missing and are purged lazily.
 *
 * @example
 * const keyv = new Keyv({ store: new SqliteKeyvStore({ path: 'data/relay.db' }), namespace: 'users' });
 */
export class SqliteKeyvStore extends EventEmitter implements KeyvStoreAdapter {
  /** Keyv only builds an iterator for adapters whose `opts.dialect` it knows. */
  readonly opts: { dialect: 'sqlite'; url: string; table: string };
  /** Set by Keyv; keys arrive already prefixed with `${namespace}:`. */
  namespace?: string | undefined;

  readonly #db: DatabaseSync;
  readonly #ownsDb: boolean;
  readonly #now: () => number;
  readonly #sql: ReturnType<typeof prepareStatements>;
  readonly #table: string;

  constructor(options: SqliteKeyvStoreOptions = {}) {
    super();
    const table = options.table ?? 'keyv';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) throw new TypeError(`invalid table name: ${table}`);
    const path = options.path ?? ':memory:';
    this.#ownsDb = !options.db;
    this.#db = options.db ?? openSqlite(path);
    this.#now = options.now ?? Date.now;
    this.#table = table;
    this.#db.exec(
      `CREATE TABLE IF NOT EXISTS ${table} (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires INTEGER)`,
    );
    this.#sql = prepareStatements(this.#db, table);
    this.opts = { dialect: 'sqlite', url: `sqlite://${path}`, table };
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    const row = this.#sql.get.get(key, this.#now()) as { value: string } | undefined;
    return row?.value as StoredData<Value> | undefined;
  }

  async getMany<Value>(keys: string[]): Promise<Array<StoredData<Value | undefined>>> {
    return Promise.all(keys.map((key) => this.get<Value>(key)));
  }

  async set(key: string, value: unknown, ttl?: number): Promise<boolean> {
    const expires = typeof ttl === 'number' && ttl > 0 ? this.#now() + ttl : null;
    this.#sql.set.run(key, String(value), expires);
    return true;
  }

  async has(key: string): Promise<boolean> {
    return this.#sql.get.get(key, this.#now()) !== undefined;
  }

  async delete(key: string): Promise<boolean> {
    // An expired row counts as already gone, so deleting it reports false like a missing key.
    const live = await this.has(key);
    this.#sql.delete.run(key);
    return live;
  }

  async deleteMany(keys: string[]): Promise<boolean> {
    let any = false;
    for (const key of keys) any = (await this.delete(key)) || any;
    return any;
  }

  /** Clears this store's namespace only; without a namespace, the whole table. */
  async clear(): Promise<void> {
    if (this.namespace) {
      const [from, to] = prefixRange(this.namespace);
      this.#sql.clearRange.run(from, to);
    } else {
      this.#db.exec(`DELETE FROM ${this.#table}`);
    }
  }

  /** Yields `[prefixedKey, rawValue]` of live rows in `namespace`, in key order, a page at a time. */
  async *iterator<Value>(
    namespace?: string,
  ): AsyncGenerator<Array<string | Awaited<Value> | undefined>, void> {
    const [from, to] = namespace ? prefixRange(namespace) : ['', '\u{10FFFF}'];
    let after: string | undefined;
    for (;;) {
      const rows = (
        after === undefined
          ? this.#sql.pageFirst.all(from, to, this.#now(), PAGE_SIZE)
          : this.#sql.pageAfter.all(after, to, this.#now(), PAGE_SIZE)
      ) as Array<{ key: string; value: string }>;
      for (const row of rows) yield [row.key, row.value as Awaited<Value>];
      const last = rows.at(-1);
      if (!last || rows.length < PAGE_SIZE) return;
      after = last.key;
    }
  }

  /** Deletes expired rows; returns how many. Reads never return them anyway, this only reclaims space. */
  purgeExpired(): number {
    return Number(this.#sql.purge.run(this.#now()).changes);
  }

  async disconnect(): Promise<void> {
    if (this.#ownsDb && this.#db.isOpen) this.#db.close();
  }
}

/**
 * Opens a database file for concurrent use: WAL, and wait (rather than fail) while another writer holds
 * the lock. A new file is made with incremental auto-vacuum, so retention can give space back cheaply.
 */
export function openSqlite(path: string): DatabaseSync {
  const db = new DatabaseSync(path);
  db.exec('PRAGMA busy_timeout = 5000; PRAGMA auto_vacuum = INCREMENTAL;');
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
  return db;
}

/** Keys of a namespace are `${ns}:…`; `;` is the code point after `:`, so this range holds exactly them. */
function prefixRange(namespace: string): [string, string] {
  return [`${namespace}:`, `${namespace};`];
}

function prepareStatements(db: DatabaseSync, table: string) {
  const live = '(expires IS NULL OR expires > ?)';
  const statements = {
    get: db.prepare(`SELECT value FROM ${table} WHERE key = ? AND ${live}`),
    set: db.prepare(
      `INSERT INTO ${table} (key, value, expires) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires = excluded.expires`,
    ),
    delete: db.prepare(`DELETE FROM ${table} WHERE key = ?`),
    clearRange: db.prepare(`DELETE FROM ${table} WHERE key >= ? AND key < ?`),
    pageFirst: db.prepare(
      `SELECT key, value FROM ${table} WHERE key >= ? AND key < ? AND ${live} ORDER BY key LIMIT ?`,
    ),
    pageAfter: db.prepare(
      `SELECT key, value FROM ${table} WHERE key > ? AND key < ? AND ${live} ORDER BY key LIMIT ?`,
    ),
    purge: db.prepare(`DELETE FROM ${table} WHERE expires IS NOT NULL AND expires <= ?`),
  } satisfies Record<string, StatementSync>;
  return statements;
}
