import { after, it } from 'node:test';
import { botMessages, harness } from '/work/main/test/e2e/telegram/harness.ts';
it('dbg', async () => {
  const h = await harness({ comfy: { stepDelayMs: 20 } });
  const user = h.tg.addUser({ first_name: 'Ada', language_code: 'en' });
  await h.tg.userSends({ userId: user.id, text: 'a red fox in the snow --steps 12' });
  await new Promise((r) => setTimeout(r, 4000));
  console.log(JSON.stringify(botMessages(h.tg, user.id).map((m) => ({ t: m.text, c: m.caption, e: m.edits.map((x) => x.text) })), null, 1));
  console.log(h.tg.calls.map((c) => `${c.method} ${c.status} ${c.description ?? ''}`).join('\n'));
  await h.close();
});
