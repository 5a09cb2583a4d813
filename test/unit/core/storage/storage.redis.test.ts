import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createStorage, type Storage } from '../../../../src/core/storage/create-storage.ts';
import { type RedisServer, startRedis } from '../../../helpers/redis-server.ts';
import { type FakeJob, storageContract } from './storage-contract.ts';

describe('createStorage over Redis', () => {
  let redis: RedisServer;
  const opened: Storage<FakeJob, { locale: string }>[] = [];
  let prefixes = 0;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    for (const storage of opened) await storage.close();
    await redis?.stop();
  });

  async function open(prefix = `test${prefixes++}`) {
    const storage = await createStorage<FakeJob, { locale: string }>({ redisUrl: redis.url, prefix });
    opened.push(storage);
    return storage;
  }

  // Each storage gets its own key prefix, so the suite needs no FLUSHALL between tests.
  storageContract(() => open());

  it('GIVEN two processes sharing Redis THEN a claim by one is refused to the other and jobs are shared', async () => {
    const a = await open('shared');
    const b = await open('shared');
    assert.equal(await a.claimOnce('telegram:update:7', 60_000), true);
    assert.equal(await b.claimOnce('telegram:update:7', 60_000), false);
    await a.jobs.set('j', { id: 'j', state: 'running' });
    const active: string[] = [];
    for await (const [id] of b.jobs.listActive()) active.push(id);
    assert.deepEqual(active, ['j']);
  });
});
