import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QuotaLedger } from '../../../../src/core/quota/quota-ledger.ts';
import { redisWindows } from '../../../../src/core/quota/redis-windows.ts';
import type { QuotaConfig, QuotaRequester } from '../../../../src/core/quota/types.ts';
import { type RedisServer, startRedis } from '../../../helpers/redis-server.ts';
import { timerCounter } from './live-timers.ts';

const HOUR = 3_600_000;
const person = (i: number | string): QuotaRequester => ({ platform: 'http', userId: `p${i}` });
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('QuotaLedger closes idle window counters (Redis)', () => {
  let redis: RedisServer;
  const ledgers: QuotaLedger[] = [];
  before(async () => {
    // Fails, never skips, when redis-server is missing.
    redis = await startRedis();
  });
  after(async () => {
    try {
      for (const ledger of ledgers) await ledger.close();
    } finally {
      await redis?.stop();
    }
  });

  function ledgerWith(prefix: string, config: QuotaConfig, maxOpen: number): QuotaLedger {
    const ledger = new QuotaLedger({
      config,
      windows: redisWindows({ url: redis.url, prefix }),
      windowCache: { maxOpen },
    });
    ledgers.push(ledger);
    return ledger;
  }

  it('GIVEN a used-up window whose counter was evicted THEN it is still refused with the refill time', async () => {
    const ledger = ledgerWith('evict1', { defaults: { perWindow: 2, windowMs: HOUR, waiting: 10 } }, 1);
    const alice = person('alice');
    assert.ok((await ledger.admit(alice)).ok);
    assert.ok((await ledger.admit(alice)).ok);
    const resetsAt = (await ledger.usage(alice)).window!.resetsAt;
    for (const other of ['bob', 'carol', 'dave']) assert.ok((await ledger.admit(person(other))).ok);
    await settle();
    assert.equal(ledger.openWindows, 1);

    const started = Date.now();
    const refused = await ledger.admit(alice);
    assert.ok(!refused.ok);
    assert.equal(refused.error.limit, 'window');
    const retryAt = started + refused.error.retryAfterMs!;
    assert.ok(Math.abs(retryAt - resetsAt) < 1000, `retry at ${retryAt}, window resets at ${resetsAt}`);
    assert.deepEqual((await ledger.usage(alice)).window, { used: 2, limit: 2, remaining: 0, resetsAt });
  });

  it('GIVEN concurrent admissions while counters are evicted and reopened THEN no take is lost', async () => {
    const ledger = ledgerWith('evict2', { defaults: { perWindow: 5, windowMs: HOUR, waiting: 100 } }, 1);
    const people = ['a', 'b', 'c', 'd'].map(person);
    const results = await Promise.all(
      Array.from({ length: 48 }, (_, i) => ledger.admit(people[i % people.length]!)),
    );
    for (const [i, who] of people.entries()) {
      const mine = results.filter((_, j) => j % people.length === i);
      assert.equal(mine.filter((r) => r.ok).length, 5, `${who.userId} admitted exactly 5`);
      assert.equal((await ledger.usage(who)).window?.used, 5);
    }
    await Promise.all(results.map((r) => (r.ok ? r.value.released() : undefined)));
    for (const who of people) assert.equal((await ledger.usage(who)).window?.used, 0);
  });

  it('GIVEN 500 distinct people THEN open limiters and their heartbeats stay under the cap, and close() ends them', async (t) => {
    const timers = timerCounter();
    try {
      const ledger = ledgerWith('evict3', { defaults: { perWindow: 3, windowMs: HOUR, waiting: 10 } }, 20);
      assert.ok((await ledger.admit(person('warm-up'))).ok);
      const beforeTimers = await timers.live();
      let peakOpen = 0;
      for (let i = 0; i < 500; i++) {
        assert.ok((await ledger.admit(person(i))).ok);
        peakOpen = Math.max(peakOpen, ledger.openWindows);
      }
      await settle();
      const afterTimers = await timers.live();
      t.diagnostic(
        `500 people: timers +${afterTimers - beforeTimers}, peak open counters ${peakOpen}, cap 20`,
      );
      assert.ok(peakOpen <= 25, `peak open counters ${peakOpen}`);
      assert.ok(ledger.openWindows <= 20);
      assert.ok(afterTimers - beforeTimers <= 25, `timers grew by ${afterTimers - beforeTimers}`);
      // An evicted person's take is still there.
      assert.equal((await ledger.usage(person(7))).window?.used, 1);
      await ledger.close();
      assert.equal(ledger.openWindows, 0);
    } finally {
      timers.stop();
    }
  });
});
