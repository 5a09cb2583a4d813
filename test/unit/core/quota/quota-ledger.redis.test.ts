import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QuotaLedger } from '../../../../src/core/quota/quota-ledger.ts';
import { redisWindows } from '../../../../src/core/quota/redis-windows.ts';
import type { QuotaConfig, QuotaRequester } from '../../../../src/core/quota/types.ts';
import { type RedisServer, startRedis } from '../../../helpers/redis-server.ts';

const HOUR = 3_600_000;
const config: QuotaConfig = {
  defaults: { perWindow: 2, windowMs: HOUR, waiting: 10 },
  global: { perWindow: 5 },
};
const alice: QuotaRequester = { platform: 'discord', userId: 'alice' };
const aliceOnTelegram: QuotaRequester = { platform: 'telegram', userId: '77', identity: 'alice' };

describe('QuotaLedger shared through Redis', () => {
  let redis: RedisServer;
  const ledgers: QuotaLedger[] = [];
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    for (const ledger of ledgers) await ledger.close();
    await redis?.stop();
  });

  // Two ledgers with their own connections, as two ComfyRelay processes would have.
  function processLedger(prefix: string): QuotaLedger {
    const ledger = new QuotaLedger({ config, windows: redisWindows({ url: redis.url, prefix }) });
    ledgers.push(ledger);
    return ledger;
  }

  it('GIVEN a user who used the window in instance A THEN instance B refuses them with the refill time', async () => {
    const a = processLedger('shared1');
    const b = processLedger('shared1');
    assert.ok((await a.admit(alice)).ok);
    assert.ok((await a.admit(alice)).ok);
    const refused = await b.admit(alice);
    assert.ok(!refused.ok);
    assert.equal(refused.error.limit, 'window');
    assert.ok(refused.error.retryAfterMs! > HOUR - 60_000 && refused.error.retryAfterMs! <= HOUR);
    const usage = await b.usage(alice);
    assert.equal(usage.window?.used, 2);
  });

  it('GIVEN a linked identity THEN accounts on both platforms draw from one window across instances', async () => {
    const a = processLedger('shared2');
    const b = processLedger('shared2');
    const linkedDiscord = { ...alice, identity: 'alice' };
    assert.ok((await a.admit(linkedDiscord)).ok);
    const job = await b.admit(aliceOnTelegram);
    assert.ok(job.ok);
    assert.equal((await a.admit(linkedDiscord)).ok, false);
    await job.value.released();
    assert.ok((await a.admit(linkedDiscord)).ok);
  });

  it('GIVEN both instances racing for the last global slots THEN the cap holds exactly', async () => {
    const a = processLedger('shared3');
    const b = processLedger('shared3');
    const users = Array.from(
      { length: 8 },
      (_, i): QuotaRequester => ({ platform: 'http', userId: `u${i}` }),
    );
    const results = await Promise.all(users.map((user, i) => (i % 2 ? a : b).admit(user)));
    assert.equal(results.filter((r) => r.ok).length, 5);
    assert.ok(results.filter((r) => !r.ok).every((r) => !r.ok && r.error.limit === 'global'));
  });
});
