import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Store } from '../storage/store.ts';

/** A stored API key: never the secret itself, only its SHA-256. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  tier: string;
  /** hex SHA-256 of the secret part. */
  hash: string;
  /** Standard Webhooks signing secret (`whsec_…`) for this key's webhooks; shown once with the key. */
  webhookSecret: string;
  createdAt: number;
  revokedAt?: number;
  lastUsedAt?: number;
}

/** What a caller sees of a key (no hash, no secret). */
export type ApiKeyInfo = Omit<ApiKeyRecord, 'hash' | 'webhookSecret'>;

const PREFIX = 'cr_';
const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();
const isRecord = (v: unknown): v is ApiKeyRecord =>
  typeof v === 'object' && v !== null && typeof (v as ApiKeyRecord).hash === 'string';

/** Splits `cr_<id>_<secret>`; anything else is not a key. */
export function parseKey(presented: string): { id: string; secret: string } | undefined {
  const m = /^cr_([a-z0-9]{8,16})_([A-Za-z0-9_-]{20,100})$/.exec(presented.trim());
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}

/**
 * API keys for the HTTP front end: created with a tier, shown once, stored only as a hash, compared in
 * constant time, revocable.
 * @example
 * const keys = new ApiKeys(app.storage.keys);
 * const { key } = await keys.create({ name: 'ci', tier: 'pro' }); // print `key` once
 * const found = await keys.verify(request.headers.authorization?.slice(7) ?? '');
 */
export class ApiKeys {
  readonly #store: Store<unknown>;
  #anyCache: { value: boolean; at: number } | undefined;

  constructor(store: Store<unknown>) {
    this.#store = store;
  }

  async create(input: { name: string; tier: string }): Promise<{ key: string; record: ApiKeyRecord }> {
    const id = randomBytes(6).toString('hex');
    const secret = randomBytes(24).toString('base64url');
    const record: ApiKeyRecord = {
      id,
      name: input.name,
      tier: input.tier,
      hash: sha256(secret).toString('hex'),
      webhookSecret: `whsec_${randomBytes(24).toString('base64')}`,
      createdAt: Date.now(),
    };
    await this.#store.set(id, record);
    this.#anyCache = undefined;
    return { key: `${PREFIX}${id}_${secret}`, record };
  }

  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const stored = await this.#store.get(id);
    return isRecord(stored) ? stored : undefined;
  }

  /** The active key a presented string names, or undefined (unknown, malformed, revoked or wrong secret). */
  async verify(presented: string): Promise<ApiKeyRecord | undefined> {
    const parts = parseKey(presented);
    const stored = parts ? await this.#store.get(parts.id) : undefined;
    // Compare even when the id is unknown, so timing does not tell which ids exist.
    const expected = isRecord(stored) ? Buffer.from(stored.hash, 'hex') : Buffer.alloc(32);
    const same = timingSafeEqual(expected, sha256(parts?.secret ?? ''));
    if (!same || !isRecord(stored) || stored.revokedAt !== undefined) return undefined;
    return stored;
  }

  async list(): Promise<ApiKeyInfo[]> {
    const out: ApiKeyInfo[] = [];
    for await (const [, v] of this.#store.list()) {
      if (!isRecord(v)) continue;
      const { hash: _h, webhookSecret: _w, ...info } = v;
      out.push(info);
    }
    return out.sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Marks a key revoked; false when there is no such key. */
  async revoke(id: string): Promise<boolean> {
    const stored = await this.#store.get(id);
    if (!isRecord(stored)) return false;
    if (stored.revokedAt === undefined) await this.#store.set(id, { ...stored, revokedAt: Date.now() });
    this.#anyCache = undefined;
    return true;
  }

  /** Whether any active key exists (cached for two seconds: the CLI may add one while the server runs). */
  async any(): Promise<boolean> {
    if (this.#anyCache && Date.now() - this.#anyCache.at < 2000) return this.#anyCache.value;
    let value = false;
    for await (const [, v] of this.#store.list()) {
      if (isRecord(v) && v.revokedAt === undefined) {
        value = true;
        break;
      }
    }
    this.#anyCache = { value, at: Date.now() };
    return value;
  }
}
