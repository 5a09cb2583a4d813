import { randomBytes } from 'node:crypto';
import { testApp, testConfig } from '../test/helpers/app.ts';
const config = testConfig({});
const app = await testApp(config, { clientOptions: undefined, refreshIntervalMs: undefined });
const b = randomBytes(60 * 1024);
const times: number[] = [];
const blobT: number[] = [];
for (let i = 0; i < 200; i++) {
  b.writeUInt32BE(i, 0);
  let t = performance.now();
  await app.blobs.put(b);
  blobT.push(performance.now() - t);
  t = performance.now();
  await app.assets.put({ owner: 'http:k', bytes: b, contentType: 'image/png' });
  times.push(performance.now() - t);
}
const q = (a: number[]) => { a.sort((x, y) => x - y); return `p50 ${a[100]!.toFixed(2)} p90 ${a[180]!.toFixed(2)}`; };
console.log('blob put', q(blobT), '| asset put', q(times));
await app.close(100); config.cleanup(); process.exit(0);
