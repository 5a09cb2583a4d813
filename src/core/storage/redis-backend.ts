import KeyvRedis, { createClient, type RedisClientConnectionType } from '@keyv/redis';
import { Keyv } from 'keyv';
import type { StorageBackend } from './backend.ts';
import { deserializeValue, serializeValue } from './value-codec.ts';

/**
 * Storage in Redis (shared by several ComfyRelay processes). Every key starts with `prefix`:
 * Keyv data under `${prefix}:${namespace}::${id}`, claims, sets and logs under `${prefix}:claim|set|log:…`.
 * One connection serves all namespaces.
 */
export async function redisBackend(url: string, prefix = 'comfyrelay'): Promise<StorageBackend> {
  const client = createClient({ url });
  let closed = false;
  client.on('error', () => {
    // Commands reject on their own; without a listener node-redis would crash the process on reconnect noise.
  });
  await client.connect();

  return {
    keyv(namespace) {
      const adapter = new ClosableKeyvRedis(client, () => closed);
      return new Keyv({
        store: adapter,
        namespace: `${prefix}:${namespace}`,
        useKeyPrefix: false,
        throwOnErrors: true,
        serialize: serializeValue,
        deserialize: deserializeValue,
      });
    },
    async claim(key, holder, ttlMs) {
      const redisKey = `${prefix}:claim:${key}`;
      // SET NX is the atomic part; the GET only reports who won. Retry if the winner expired in between.
      for (let attempt = 0; attempt < 3; attempt++) {
        const set = await client.set(redisKey, holder, {
          condition: 'NX',
          expiration: { type: 'PX', value: ttlMs },
        });
        if (set === 'OK') return undefined;
        const current = await client.get(redisKey);
        if (current !== null) return current;
      }
      throw new Error(`could not claim ${key}`);
    },
    async setAdd(set, id) {
      await client.sAdd(`${prefix}:set:${set}`, id);
    },
    async setRemove(set, id) {
      await client.sRem(`${prefix}:set:${set}`, id);
    },
    async setMembers(set) {
      return (await client.sMembers(`${prefix}:set:${set}`)).sort();
    },
    async logAppend(log, entry) {
      await client.lPush(`${prefix}:log:${log}`, entry);
    },
    async logLatest(log, limit) {
      if (limit <= 0) return [];
      return client.lRange(`${prefix}:log:${log}`, 0, limit - 1);
    },
    async logOldest(log, limit) {
      if (limit <= 0) return [];
      return (await client.lRange(`${prefix}:log:${log}`, -limit, -1)).reverse();
    },
    async logDropOldest(log, count) {
      // Entries are pushed at the head, so the oldest are at the tail; appends meanwhile are kept.
      if (count > 0) await client.lTrim(`${prefix}:log:${log}`, 0, -count - 1);
    },
    compact: async () => ({ expired: 0, fileBytes: 0 }),
    async close() {
      closed = true;
      if (client.isOpen) await client.close();
    },
  };
}

/**
 * KeyvRedis, except that once the storage is closed its reads and writes reject like the client's own
 * commands do. KeyvRedis connects a client that is not open before each operation: a late read after
 * `close()` (a task still finishing as the app stops) would open the connection again, and nothing
 * would close it: it would keep the process alive, reconnecting forever once Redis is gone.
 */
class ClosableKeyvRedis extends KeyvRedis<unknown> {
  readonly #closed: () => boolean;

  constructor(client: RedisClientConnectionType, closed: () => boolean) {
    super(client, { throwOnErrors: true });
    this.#closed = closed;
  }

  override async getClient(): Promise<RedisClientConnectionType> {
    if (this.#closed()) throw new Error('the storage is closed');
    return super.getClient();
  }
}
