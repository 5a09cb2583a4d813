/**
 * A ComfyRelay process as far as quotas go, for the crash test: shares counts through Redis, admits and
 * starts one job for `alice` (id `crashed-job`), says `ready`, then idles until it is killed (never
 * closing its ledger). Usage: node ledger-process.ts <redisUrl> <prefix>
 */
import { QuotaLedger } from '../../../../src/core/quota/quota-ledger.ts';
import { redisActive } from '../../../../src/core/quota/redis-active.ts';
import { redisWindows } from '../../../../src/core/quota/redis-windows.ts';

const [url = '', prefix = ''] = process.argv.slice(2);
const ledger = new QuotaLedger({
  config: { defaults: { running: 1, waiting: 5, perWindow: 100 } },
  windows: redisWindows({ url, prefix: `${prefix}:windows` }),
  active: redisActive({ url, prefix, pollMs: 50 }),
});
const admitted = await ledger.admit({ platform: 'discord', userId: 'alice' }, { jobId: 'crashed-job' });
if (!admitted.ok || !admitted.value.started().ok) {
  console.log('refused');
  process.exit(1);
}
// The start is written in the background: wait until Redis has it before saying so.
while ((await ledger.usage({ platform: 'discord', userId: 'alice' })).running.used < 1)
  await new Promise((r) => setTimeout(r, 10));
console.log('ready');
setInterval(() => {}, 60_000);
