import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { localWindows } from '../../../../src/core/quota/local-windows.ts';
import {
  type Admission,
  QuotaLedger,
  type QuotaLedgerOptions,
} from '../../../../src/core/quota/quota-ledger.ts';
import type { QuotaRefusal, QuotaRequester } from '../../../../src/core/quota/types.ts';
import type { Result } from '../../../../src/shared/result.ts';
import { createStorage } from '../../../../src/core/storage/create-storage.ts';
import type { Store } from '../../../../src/core/storage/store.ts';

const HOUR = 3_600_000;
const person = (i: number | string): QuotaRequester => ({ platform: 'http', userId: `p${i}` });
const alice = person('alice');
const bob = person('bob');

function clock(start = 1_700_000_000_000) {
  const c = { now: start, fn: () => c.now };
  return c;
}

function admitted(result: Result<Admission, QuotaRefusal>): Admission {
  assert.ok(result.ok, `expected admission, got ${!result.ok && JSON.stringify(result.error)}`);
  return result.value;
}

function refused(result: Result<Admission, QuotaRefusal>): QuotaRefusal {
  assert.ok(!result.ok, 'expected a refusal');
  return result.error;
}

/** A store whose reads and writes take a few ms, so closes, reopens and takes overlap. */
function slowStore(): Store<unknown> {
  const data = new Map<string, unknown>();
  const pause = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
  return {
    async get(id) {
      await pause();
      return structuredClone(data.get(id));
    },
    async set(id, value) {
      await pause();
      data.set(id, structuredClone(value));
    },
    async delete(id) {
      return data.delete(id);
    },
    async *list() {
      yield* data;
    },
  };
}

type Flavour = { name: string; windows: (now: () => number) => Promise<QuotaLedgerOptions['windows']> };

const dir = mkdtempSync(join(tmpdir(), 'comfyrelay-evict-'));
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups) await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const flavours: Flavour[] = [
  { name: 'no store (records kept in memory)', windows: async (now) => localWindows({ now }) },
  {
    name: 'SQLite storage.quota',
    async windows(now) {
      const storage = await createStorage({ sqlitePath: join(dir, `${Math.random()}.db`) });
      cleanups.push(() => storage.close());
      return localWindows({ store: storage.quota, now });
    },
  },
  { name: 'slow store', windows: async (now) => localWindows({ store: slowStore(), now }) },
];

for (const flavour of flavours) {
  describe(`QuotaLedger closes idle window counters (${flavour.name})`, () => {
    async function ledgerWith(
      defaults: QuotaLedgerOptions['config']['defaults'],
      windowCache: QuotaLedgerOptions['windowCache'],
      time = clock(),
    ) {
      const ledger = new QuotaLedger({
        config: { defaults: { waiting: 1000, ...defaults } },
        windows: await flavour.windows(time.fn),
        now: time.fn,
        windowCache,
      });
      cleanups.push(() => ledger.close());
      return ledger;
    }

    it('GIVEN a used-up window whose counter was evicted THEN it is still refused with the same retry time', async () => {
      const time = clock();
      const ledger = await ledgerWith({ perWindow: 2, windowMs: HOUR }, { maxOpen: 1 }, time);
      admitted(await ledger.admit(alice));
      time.now += 10 * 60_000;
      admitted(await ledger.admit(alice));
      admitted(await ledger.admit(bob));
      assert.equal(ledger.openWindows <= 2, true);
      await ledger.admit(person('carol'));
      await ledger.admit(person('dave'));

      const refusal = refused(await ledger.admit(alice));
      assert.equal(refusal.limit, 'window');
      assert.equal(refusal.retryAfterMs, 50 * 60_000);
      admitted(await ledger.admit(bob));
      assert.deepEqual((await ledger.usage(alice)).window, {
        used: 2,
        limit: 2,
        remaining: 0,
        resetsAt: time.now + 50 * 60_000,
      });
    });

    it('GIVEN an evicted counter THEN usage() reads it, a release refunds it and GPU charges survive', async () => {
      const time = clock();
      const ledger = await ledgerWith(
        { perWindow: 3, windowMs: HOUR, gpuSecondsPerWindow: 60 },
        { maxOpen: 1 },
        time,
      );
      const first = admitted(await ledger.admit(alice));
      const second = admitted(await ledger.admit(alice));
      assert.ok(first.started().ok);
      await first.finished({ gpuSeconds: 45 });
      await ledger.admit(bob);
      assert.equal((await ledger.usage(alice)).window?.used, 2);
      await ledger.admit(bob);
      await second.released();
      await ledger.admit(bob);
      const usage = await ledger.usage(alice);
      assert.equal(usage.window?.used, 1);
      assert.equal(usage.gpuSeconds?.used, 45);
      time.now += HOUR / 4;
      await ledger.admit(bob);
      const job = admitted(await ledger.admit(alice));
      assert.ok(job.started().ok);
      await job.finished({ gpuSeconds: 30 });
      await ledger.admit(bob);
      const gpu = refused(await ledger.admit(alice));
      assert.equal(gpu.limit, 'gpuSeconds');
      assert.equal(gpu.retryAfterMs, (3 * HOUR) / 4);
    });

    it('GIVEN a counter idle for longer than its window THEN it is closed and reopens as a fresh window', async () => {
      const time = clock();
      const ledger = await ledgerWith({ perWindow: 1, windowMs: 1000 }, { maxOpen: 100 }, time);
      admitted(await ledger.admit(alice));
      assert.equal(refused(await ledger.admit(alice)).retryAfterMs, 1000);
      assert.equal(ledger.openWindows, 1);
      time.now += 1001;
      admitted(await ledger.admit(bob));
      await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(ledger.openWindows, 1, "alice's idle counter is closed");
      admitted(await ledger.admit(alice));
    });

    it('GIVEN concurrent admissions while counters are evicted and reopened THEN no take is lost', async () => {
      const ledger = await ledgerWith({ perWindow: 5, windowMs: HOUR }, { maxOpen: 1 });
      const people = ['a', 'b', 'c', 'd'].map(person);
      const results = await Promise.all(
        Array.from({ length: 48 }, (_, i) => ledger.admit(people[i % people.length]!)),
      );
      for (const [i, who] of people.entries()) {
        const mine = results.filter((_, j) => j % people.length === i);
        assert.equal(mine.filter((r) => r.ok).length, 5, `${who.userId} admitted exactly 5`);
        assert.ok(mine.filter((r) => !r.ok).every((r) => !r.ok && r.error.limit === 'window'));
        assert.equal((await ledger.usage(who)).window?.used, 5);
      }
      // Releases after eviction refund through reopened counters, concurrently too.
      await Promise.all(results.map((r) => (r.ok ? r.value.released() : undefined)));
      for (const who of people) assert.equal((await ledger.usage(who)).window?.used, 0);
    });
  });
}
