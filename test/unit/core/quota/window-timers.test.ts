import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { localWindows } from '../../../../src/core/quota/local-windows.ts';
import { QuotaLedger } from '../../../../src/core/quota/quota-ledger.ts';
import { contextTimerCounter } from './live-timers.ts';

// The timers counted are the ones this test's ledger started (by async context), not the process's:
// the file may share its process with others (`--test-isolation=none`).
describe('QuotaLedger open counters and timers stay bounded', () => {
  // Fifteen times the cap: were counters or timers kept per person, they would pass it many times over.
  const PEOPLE = 1500;
  const CAP = 100;
  it(`GIVEN ${PEOPLE} distinct people with tiny windows THEN open counters and timers stay under the cap`, async (t) => {
    const timers = contextTimerCounter();
    try {
      await timers.run(async () => {
        const before = await timers.live();
        assert.equal(before, 0, 'nothing of this test runs yet');
        const ledger = new QuotaLedger({
          config: { defaults: { perWindow: 2, windowMs: 50, waiting: 10 } },
          windows: localWindows(),
          windowCache: { maxOpen: CAP },
        });
        let peakOpen = 0;
        for (let i = 0; i < PEOPLE; i++) {
          const result = await ledger.admit({ platform: 'http', userId: `p${i}` });
          assert.ok(result.ok);
          peakOpen = Math.max(peakOpen, ledger.openWindows);
        }
        const during = await timers.live();
        t.diagnostic(
          `${PEOPLE} people: ${during} live timers of the ledger (peak open counters ${peakOpen}, cap ${CAP})`,
        );
        // One Bottleneck heartbeat per open counter, plus the ledger's sweep timer.
        assert.ok(peakOpen <= CAP, `peak open counters ${peakOpen}`);
        assert.ok(during >= 1, "the count sees the ledger's timers");
        assert.ok(during <= CAP + 1, `timers grew by ${during}`);
        await ledger.close();
        assert.equal(ledger.openWindows, 0);
        assert.equal(await timers.live(), 0, 'close() stops every timer');
      });
    } finally {
      timers.stop();
    }
  });

  it('GIVEN more people than the cap within one window THEN the least recently used counters are closed, keeping their takes', async () => {
    const ledger = new QuotaLedger({
      config: { defaults: { perWindow: 5, windowMs: 3_600_000, waiting: 10 } },
      windows: localWindows(),
      windowCache: { maxOpen: 10 },
    });
    try {
      for (let i = 0; i < 200; i++) assert.ok((await ledger.admit({ platform: 'http', userId: `p${i}` })).ok);
      // Counters being closed still count until their close settles.
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.ok(ledger.openWindows <= 10, `open ${ledger.openWindows}`);
      // Every one of them still sees its own take after its counter was closed.
      for (let i = 0; i < 200; i += 37)
        assert.equal((await ledger.usage({ platform: 'http', userId: `p${i}` })).window?.used, 1);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.ok(ledger.openWindows <= 10, `open ${ledger.openWindows}`);
    } finally {
      await ledger.close();
    }
  });
});
