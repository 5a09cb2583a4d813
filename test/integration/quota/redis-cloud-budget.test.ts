import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { periodOf } from '../../../src/core/quota/budget-ledger.ts';
import { RedisCloudBudget } from '../../../src/core/quota/redis-cloud-budget.ts';
import { waitFor } from '../../helpers/app.ts';
import { type RedisServer, startRedis } from '../../helpers/redis-server.ts';

describe('RedisCloudBudget (one budget for every process on a Redis)', () => {
  let redis: RedisServer;
  let client: Redis;
  const ledgers: RedisCloudBudget[] = [];
  const ledger = () => {
    const l = new RedisCloudBudget({ url: redis.url, refreshMs: 60_000 });
    ledgers.push(l);
    return l;
  };
  before(async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
  });
  after(async () => {
    await client.quit();
    await redis.stop();
  });
  afterEach(async () => {
    for (const l of ledgers.splice(0)) await l.close();
    await client.flushall();
  });

  it('GIVEN two ledgers reserving at once against a cap of 5 a day THEN exactly 5 reservations succeed, and the others name the limit', async () => {
    const [one, two] = [ledger(), ledger()];
    const limits = { overall: { jobsPerDay: 5 } };
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? one : two).reserve('cloud', limits, `g${i % 3}`)),
    );
    assert.equal(replies.filter((r) => r === undefined).length, 5);
    for (const hit of replies.filter((r) => r !== undefined)) {
      assert.deepEqual([hit.scope, hit.limit, hit.max], ['overall', 'jobsPerDay', 5]);
    }
    assert.deepEqual(
      one.remaining('cloud', limits).map((r) => [r.used, r.left]),
      [[5, 0]],
    );
  });

  it('GIVEN a job given back after a refusal by the service THEN its count returns and one more may be sent', async () => {
    const [one, two] = [ledger(), ledger()];
    const limits = { perCommunity: { jobsPerMonth: 1 } };
    assert.equal(await one.reserve('cloud', limits, 'guild'), undefined);
    assert.equal((await two.reserve('cloud', limits, 'guild'))?.scope, 'community');
    assert.equal(await two.reserve('cloud', limits, 'other'), undefined, 'another community has its own');
    one.chargeJob('cloud', 'guild', -1);
    await waitFor(
      async () => (await two.reserve('cloud', limits, 'guild')) === undefined,
      5000,
      'given back',
    );
  });

  it('GIVEN GPU time spent past the daily cap THEN the next job is refused, and the counters expire when their period ends', async () => {
    const one = ledger();
    const limits = { overall: { gpuSecondsPerDay: 10 } };
    assert.equal(await one.reserve('cloud', limits, 'g'), undefined);
    one.chargeGpu('cloud', 'g', 12.5);
    await waitFor(
      async () => (await one.reserve('cloud', limits, 'g')) !== undefined,
      5000,
      'GPU time counted',
    );
    const other = ledger();
    await other.load();
    assert.deepEqual(
      other.remaining('cloud', limits).map((r) => [r.limit, r.used, r.left]),
      [['gpuSecondsPerDay', 12.5, 0]],
    );
    const now = Date.now();
    const day = periodOf('jobsPerDay', now);
    const ttl = await client.pttl(`comfyrelay:budget:cloud:all:${day.id}`);
    assert.ok(ttl > 0 && ttl <= day.endsAt - now + 1000, `expires at the end of the day (${ttl} ms)`);
    const month = periodOf('jobsPerMonth', now);
    const monthTtl = await client.pttl(`comfyrelay:budget:cloud:c:g:${month.id}`);
    assert.ok(
      monthTtl >= ttl && monthTtl <= month.endsAt - now + 1000,
      'the month counter at the end of the month',
    );
  });
});
