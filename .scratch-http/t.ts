import { startHarness } from '../test/e2e/http/harness.ts';
import { imagine } from '../test/e2e/http/requests.ts';
const h = await startHarness({ config: { http: { allowPrivateUrls: true } } });
for (const b of [{ prompt: 'x', template: 'no-such-template' }, { prompt: 'x', template: 'sd15-txt2img', image_url: 'http://127.0.0.1:9/x.png' }]) {
  const r = await imagine(h, b); console.log(r.status, await r.text());
}
await h.close();
