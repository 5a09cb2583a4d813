import { startHarness } from '../test/e2e/http/harness.ts';
import { pngBytes } from '../test/fakes/comfy/images.ts';
const h = await startHarness();
h.app.log.error = ((o: unknown, m: string) => console.log('ERR', o, m)) as never;
const form = new FormData();
form.append('file', new Blob([new Uint8Array(await pngBytes(64, 48, [30, 160, 90]))], { type: 'image/png' }), 'in.png');
const r = await fetch(`${h.url}/api/v2/assets`, { method: 'POST', headers: h.auth(), body: form });
console.log(r.status, await r.text());
await h.close();
