import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { quotaCatalog } from '../../../../src/core/i18n/catalog-quota.ts';
import { createTranslator } from '../../../../src/shared/i18n.ts';
import { localWindows } from '../../../../src/core/quota/local-windows.ts';
import { type Admission, QuotaLedger } from '../../../../src/core/quota/quota-ledger.ts';
import type { QuotaConfig, QuotaRefusal, QuotaRequester } from '../../../../src/core/quota/types.ts';
import type { Result } from '../../../../src/shared/result.ts';
import { createStorage } from '../../../../src/core/storage/create-storage.ts';

const HOUR = 3_600_000;
const t = createTranslator([quotaCatalog]);
const alice: QuotaRequester = { platform: 'discord', userId: 'alice', communityId: 'guild1', roles: [] };
const bob: QuotaRequester = { platform: 'discord', userId: 'bob', communityId: 'guild1', roles: [] };

const ledgers: QuotaLedger[] = [];
after(async () => {
  for (const ledger of ledgers) await ledger.close();
});

function clock(start = 1_700_000_000_000) {
  const c = { now: start, fn: () => c.now };
  return c;
}

function ledgerWith(config: QuotaConfig, time = clock()) {
  const ledger = new QuotaLedger({ config, windows: localWindows({ now: time.fn }), now: time.fn });
  ledgers.push(ledger);
  return ledger;
}

function admitted(result: Result<Admission, QuotaRefusal>): Admission {
  assert.ok(result.ok, `expected admission, got ${!result.ok && JSON.stringify(result.error)}`);
  return result.value;
}

function refused(result: Result<Admission, QuotaRefusal>): QuotaRefusal {
  assert.ok(!result.ok, 'expected a refusal');
  const refusal = result.error;
  for (const locale of ['en', 'zh'] as const) {
    const text = t(locale, refusal.message.code, refusal.message.params);
    assert.notEqual(text, refusal.message.code, `no ${locale} text for ${refusal.message.code}`);
    assert.doesNotMatch(text, /\{\w+\}/, `unfilled placeholder in ${locale}: ${text}`);
  }
  return refusal;
}

describe('QuotaLedger limits', () => {
  it('GIVEN the waiting limit reached THEN the next job is refused with "waiting" until one starts', async () => {
    const ledger = ledgerWith({ defaults: { waiting: 2, running: 5 } });
    const first = admitted(await ledger.admit(alice));
    admitted(await ledger.admit(alice));
    const refusal = refused(await ledger.admit(alice));
    assert.equal(refusal.limit, 'waiting');
    assert.equal(refusal.limitValue, 2);
    assert.equal(refusal.retryAfterMs, undefined);
    assert.equal(refusal.message.code, 'quota.refused.waiting');
    assert.ok(first.started().ok);
    admitted(await ledger.admit(alice));
    admitted(await ledger.admit(bob));
  });

  it('GIVEN a running job THEN a second cannot start ("running") until the first finishes', async () => {
    const ledger = ledgerWith({ defaults: { running: 1, waiting: 3 } });
    const a = admitted(await ledger.admit(alice));
    const b = admitted(await ledger.admit(alice));
    assert.ok(a.started().ok);
    assert.equal(b.canStart(), false);
    const refusal = b.started();
    assert.ok(!refusal.ok);
    assert.equal(refusal.error.limit, 'running');
    assert.equal(
      t('zh', refusal.error.message.code, refusal.error.message.params),
      '你已有 1 个任务正在运行。此任务将在其中一个完成后开始。',
    );
    await a.finished({ gpuSeconds: 3 });
    assert.equal(b.canStart(), true);
    assert.ok(b.started().ok);
  });

  it('GIVEN the window used up THEN the job is refused with "window" and when the window refills', async () => {
    const time = clock();
    const ledger = ledgerWith({ defaults: { perWindow: 2, windowMs: HOUR, waiting: 10 } }, time);
    admitted(await ledger.admit(alice));
    time.now += 10 * 60_000;
    admitted(await ledger.admit(alice));
    const refusal = refused(await ledger.admit(alice));
    assert.equal(refusal.limit, 'window');
    assert.equal(refusal.limitValue, 2);
    assert.equal(refusal.retryAfterMs, 50 * 60_000);
    assert.equal(
      t('en', refusal.message.code, refusal.message.params),
      'You have used all 2 jobs for now. Try again in 50 min.',
    );
    const usage = await ledger.usage(alice);
    assert.deepEqual(usage.window, { used: 2, limit: 2, remaining: 0, resetsAt: time.now + 50 * 60_000 });
  });

  it('GIVEN a job released before it started THEN its window slot is refunded; a finished one is not', async () => {
    const ledger = ledgerWith({ defaults: { perWindow: 2, waiting: 10, running: 10 } });
    const canceled = admitted(await ledger.admit(alice));
    await canceled.released();
    await canceled.released();
    const ran = admitted(await ledger.admit(alice));
    assert.ok(ran.started().ok);
    await ran.finished();
    admitted(await ledger.admit(alice));
    assert.equal(refused(await ledger.admit(alice)).limit, 'window');
    assert.equal((await ledger.usage(alice)).waiting.used, 1);
  });

  it('GIVEN GPU-seconds used up by finished jobs THEN the next job is refused with "gpuSeconds"', async () => {
    const time = clock();
    const ledger = ledgerWith({ defaults: { gpuSecondsPerWindow: 60, windowMs: HOUR, waiting: 10 } }, time);
    const job = admitted(await ledger.admit(alice));
    assert.ok(job.started().ok);
    await job.finished({ gpuSeconds: 75 });
    time.now += HOUR / 2;
    const refusal = refused(await ledger.admit(alice));
    assert.equal(refusal.limit, 'gpuSeconds');
    assert.equal(refusal.limitValue, 60);
    assert.equal(refusal.retryAfterMs, HOUR / 2);
    assert.deepEqual((await ledger.usage(alice)).gpuSeconds?.remaining, 0);
  });

  it('GIVEN a community cap THEN members share it and other communities are unaffected', async () => {
    const ledger = ledgerWith({ community: { waiting: 2 }, defaults: { waiting: 5 } });
    admitted(await ledger.admit(alice));
    admitted(await ledger.admit(bob));
    const refusal = refused(await ledger.admit({ ...alice, userId: 'carol' }));
    assert.equal(refusal.limit, 'community');
    assert.equal(refusal.message.code, 'quota.refused.community.waiting');
    admitted(await ledger.admit({ ...alice, userId: 'dave', communityId: 'guild2' }));
  });

  it('GIVEN a community window cap THEN it refuses with a retry time and refunds the user slot', async () => {
    const ledger = ledgerWith({
      community: { perWindow: 1, windowMs: HOUR },
      defaults: { perWindow: 5, waiting: 5 },
    });
    admitted(await ledger.admit(alice));
    const refusal = refused(await ledger.admit(alice));
    assert.equal(refusal.limit, 'community');
    assert.equal(refusal.message.code, 'quota.refused.community.window');
    assert.equal(refusal.retryAfterMs, HOUR);
    assert.equal((await ledger.usage(alice)).window?.used, 1);
  });

  it('GIVEN a global cap THEN it refuses everyone once reached', async () => {
    const ledger = ledgerWith({ global: { waiting: 1, perWindow: 2 }, defaults: { waiting: 5 } });
    const first = admitted(await ledger.admit(alice));
    const waitingFull = refused(await ledger.admit(bob));
    assert.equal(waitingFull.limit, 'global');
    assert.equal(waitingFull.message.code, 'quota.refused.global.waiting');
    assert.ok(first.started().ok);
    assert.ok(admitted(await ledger.admit(bob)).started().ok);
    const windowFull = refused(await ledger.admit({ ...bob, userId: 'erin' }));
    assert.equal(windowFull.limit, 'global');
    assert.equal(windowFull.message.code, 'quota.refused.global.window');
  });

  it('GIVEN the admin tier THEN nothing is limited or counted', async () => {
    const ledger = ledgerWith({
      tiers: [{ name: 'admin', unlimited: true, roles: ['staff'] }],
      defaults: { perWindow: 1, waiting: 1, running: 1 },
      global: { waiting: 1 },
    });
    const admin = { ...alice, roles: ['staff'] };
    const jobs = [];
    for (let i = 0; i < 10; i++) jobs.push(admitted(await ledger.admit(admin)));
    assert.ok(jobs.every((job) => job.started().ok));
    assert.equal((await ledger.usage(admin)).unlimited, true);
    admitted(await ledger.admit(bob));
  });

  it('GIVEN a role tier THEN its limits and priority replace the defaults', async () => {
    const ledger = ledgerWith({
      tiers: [{ name: 'patron', priority: 5, roles: ['patron'], limits: { waiting: 3 } }],
      defaults: { waiting: 1 },
    });
    const patron = { ...alice, roles: ['patron'] };
    const job = admitted(await ledger.admit(patron));
    assert.equal(job.priority, 5);
    assert.equal(job.tier, 'patron');
    admitted(await ledger.admit(patron));
    admitted(await ledger.admit(patron));
    assert.equal(refused(await ledger.admit(patron)).limitValue, 3);
    admitted(await ledger.admit(bob));
    assert.equal(refused(await ledger.admit(bob)).limitValue, 1);
  });

  it('GIVEN concurrent admissions for the last slot THEN exactly one wins', async () => {
    const ledger = ledgerWith({ defaults: { perWindow: 1, waiting: 10 } });
    const results = await Promise.all(Array.from({ length: 5 }, () => ledger.admit(alice)));
    assert.equal(results.filter((r) => r.ok).length, 1);
    assert.equal((await ledger.usage(alice)).waiting.used, 1);
  });
});

describe('QuotaLedger restart (embedded)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'comfyrelay-quota-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function openLedger(path: string, config: QuotaConfig, now?: () => number) {
    const storage = await createStorage({ sqlitePath: path });
    const ledger = new QuotaLedger({ config, windows: localWindows({ store: storage.quota, now }), now });
    return {
      ledger,
      close: async () => {
        await ledger.close();
        await storage.close();
      },
    };
  }

  it('GIVEN a window partly used THEN a new ledger on the same file keeps the count and the refill time', async () => {
    const time = clock();
    const path = join(dir, 'restart.db');
    const config = { defaults: { perWindow: 3, windowMs: HOUR, waiting: 10 } };
    const before = await openLedger(path, config, time.fn);
    admitted(await before.ledger.admit(alice));
    admitted(await before.ledger.admit(alice));
    await before.close();

    time.now += 20 * 60_000;
    const afterRestart = await openLedger(path, config, time.fn);
    try {
      admitted(await afterRestart.ledger.admit(alice));
      const refusal = refused(await afterRestart.ledger.admit(alice));
      assert.equal(refusal.limit, 'window');
      assert.equal(refusal.retryAfterMs, 40 * 60_000);
    } finally {
      await afterRestart.close();
    }
  });

  it('GIVEN a restored window THEN it refills when the original window ends', async () => {
    const time = clock();
    const path = join(dir, 'rollover.db');
    const config = { defaults: { perWindow: 1, windowMs: 400, waiting: 10 } };
    const before = await openLedger(path, config, time.fn);
    admitted(await before.ledger.admit(alice));
    await before.close();
    // The count is checked on the ledger's clock, which does not move however slow the reopening is;
    // the refill itself is a timer set from the restored window's end.
    const afterRestart = await openLedger(path, config, time.fn);
    try {
      assert.equal(refused(await afterRestart.ledger.admit(alice)).limit, 'window');
      time.now += 399;
      assert.equal(refused(await afterRestart.ledger.admit(alice)).limit, 'window');
      time.now += 51;
      await new Promise((resolve) => setTimeout(resolve, 450));
      admitted(await afterRestart.ledger.admit(alice));
    } finally {
      await afterRestart.close();
    }
  });

  it('GIVEN active jobs after a restart THEN restore re-counts them and returns working admissions', async () => {
    const ledger = ledgerWith({ defaults: { waiting: 2, running: 1 } });
    const [running, waiting] = ledger.restore([
      { requester: alice, state: 'running' },
      { requester: alice, state: 'waiting' },
      { requester: alice, state: 'waiting' },
    ]);
    assert.equal(refused(await ledger.admit(alice)).limit, 'waiting');
    assert.equal(waiting!.canStart(), false);
    await running!.finished();
    assert.ok(waiting!.started().ok);
    admitted(await ledger.admit(alice));
    const usage = await ledger.usage(alice);
    assert.deepEqual([usage.running.used, usage.waiting.used], [1, 2]);
  });
});
