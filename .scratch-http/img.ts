import { checkInputImage } from '../src/core/chat/input-image.ts';
import * as b from '../test/e2e/http/bad-inputs.ts';
for (const [n, f] of Object.entries(b)) {
  const t = performance.now();
  const bytes = await (f as () => Promise<Buffer> | Buffer)();
  const r = await checkInputImage(bytes);
  console.log(n, bytes.length, JSON.stringify(r.ok ? r.value : r.error), Math.round(performance.now() - t));
}
console.log('empty', JSON.stringify(await checkInputImage(new Uint8Array())));
