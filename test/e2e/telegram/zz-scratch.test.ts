import { it } from 'node:test';
import { botMessages, harness } from './harness.ts';
it('scratch', async () => {
  const h = await harness({ comfy: { stepDelayMs: 60 } });
  h.app.engine.onUpdate((u: any) => console.log('upd', u.job.state, !!u.preview));
  const user = h.tg.addUser({ first_name: 'Ada' });
  await h.tg.userSends({ userId: user.id, text: 'a fox --steps 40' });
  await h.tg.waitFor((f) => botMessages(f, user.id).find((m) => m.photo && m.caption?.includes('seed')), { timeoutMs: 15000 });
  console.log(h.tg.calls.map((c) => c.method + ':' + c.status).join('\n'));
  await h.close();
});
