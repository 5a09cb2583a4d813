import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { createStorage, type Storage } from '../../../../src/core/storage/create-storage.ts';
import { waitFor } from '../../../helpers/app.ts';
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

  it('GIVEN a closed storage THEN a late read rejects and no connection to Redis is opened again', async () => {
    const admin = new Redis(redis.url);
    const ids = async () =>
      new Set([...String(await admin.client('LIST')).matchAll(/^id=(\d+)/gm)].map((m) => m[1]));
    try {
      const before = await ids();
      const storage = await open();
      await storage.jobs.set('j', { id: 'j', state: 'running' });
      await storage.close();
      // A task still finishing after the app closed: a connection opened for it would never be closed.
      await assert.rejects(storage.jobs.get('j'), /closed/);
      await assert.rejects(storage.users.set('u', { locale: 'en' }), /closed/);
      const opened = async () => [...(await ids())].filter((id) => !before.has(id));
      await waitFor(
        async () => (await opened()).length === 0,
        5000,
        'every connection of the storage closed',
      );
    } finally {
      await admin.quit();
    }
  });
});
