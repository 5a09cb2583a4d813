/**
 * 200 Telegram users send /imagine at the same moment, through the real telegraf and the fake Bot API,
 * onto four fast fake ComfyUI backends with limits nobody reaches. Reports the p50/p99 time from the update
 * to the first status message, whether every job was delivered, and the worst per-chat edit spacing.
 *
 * Run: ./node_modules/.bin/node bench/telegram-burst.ts [users]
 */
import { harness } from '../test/e2e/telegram/harness.ts';
import { fmt, machine, percentile } from './stats.ts';

const USERS = Number(process.argv[2] ?? 200);
const h = await harness({
  backends: 4,
  comfy: { stepDelayMs: 2 },
  config: {
    quotas: { defaults: { running: 1000, waiting: 1000, perWindow: 1_000_000 } },
  },
});
const users = Array.from({ length: USERS }, (_, i) =>
  h.tg.addUser({ first_name: `User ${i}`, language_code: i % 2 ? 'zh' : 'en' }),
);
const started = Date.now();
const sentAt = new Map<number, number>();
await Promise.all(
  users.map(async (u, i) => {
    sentAt.set(u.id, Date.now());
    await h.tg.userSends({ userId: u.id, text: `/imagine burst prompt number ${i} --steps 4` });
  }),
);
const delivered = () =>
  users.filter((u) => h.tg.messages(u.id).some((m) => m.sender === 'bot' && m.photo)).length;
await h.tg
  .waitFor(() => delivered() === USERS || undefined, {
    timeoutMs: 120_000,
    intervalMs: 50,
    message: 'all delivered',
  })
  .catch(() => undefined);
const allDone = Date.now() - started;
// Let the final status edits land before reading the edit log.
await new Promise((r) => setTimeout(r, 1500));

const firstStatus: number[] = [];
for (const u of users) {
  const first = h.tg.callsTo('sendMessage').find((c) => Number(c.params.chat_id) === u.id);
  if (first) firstStatus.push(first.at - sentAt.get(u.id)!);
}
const rates = h.tg.editRates(1000);
const worst = rates.perChat.reduce((min, r) => Math.min(min, r.minIntervalMs), Number.POSITIVE_INFINITY);
const over = rates.perChat.filter((r) => r.maxPerWindow > 1).length;
const bad = h.tg.violations().map((v) => v.rule);

console.log(`telegram-burst · ${USERS} users · 4 fake backends · ${machine()}`);
console.log(
  `first status message: p50 ${fmt(percentile(firstStatus, 50))}, p99 ${fmt(percentile(firstStatus, 99))}, max ${fmt(Math.max(...firstStatus))} (${firstStatus.length}/${USERS})`,
);
console.log(`delivered: ${delivered()}/${USERS} photos in ${fmt(allDone)}`);
console.log(
  `edits: ${rates.perChat.reduce((n, r) => n + r.edits, 0)} over ${rates.perChat.length} chats; shortest gap in one chat ${fmt(worst)}; chats with >1 edit per 1 s: ${over}`,
);
console.log(`Bot API violations: ${bad.length === 0 ? 'none' : [...new Set(bad)].join(', ')}`);
const ok = delivered() === USERS;
await h.close();
if (!ok || over > 0 || firstStatus.length !== USERS) process.exitCode = 1;
