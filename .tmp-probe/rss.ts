const mb = () => { const m = process.memoryUsage(); return `rss ${(m.rss/2**20).toFixed(0)} heap ${(m.heapUsed/2**20).toFixed(0)}/${(m.heapTotal/2**20).toFixed(0)} ext ${(m.external/2**20).toFixed(0)} ab ${(m.arrayBuffers/2**20).toFixed(0)}`; };
console.log('start', mb());
const steps: [string, () => Promise<unknown>][] = [
  ['hono+node-server', () => import('@hono/node-server')],
  ['keyv/sqlite', () => import('../src/core/storage/create-storage.ts')],
  ['sharp', () => import('sharp')],
  ['comfy', () => import('../src/comfy/index.ts')],
  ['app', () => import('../src/core/app.ts')],
  ['http adapter', () => import('../src/adapters/http/index.ts')],
  ['platforms', () => import('../src/platforms.ts')],
  ['test helpers', () => import('../test/helpers/app.ts')],
];
for (const [name, load] of steps) { await load(); globalThis.gc?.(); console.log(name.padEnd(16), mb()); }
const { testApp, testConfig } = await import('../test/helpers/app.ts');
const app = await testApp(testConfig({}));
globalThis.gc?.(); console.log('app created'.padEnd(16), mb());
const { startHttp } = await import('../src/adapters/http/index.ts');
const http = await startHttp(app, { port: 0 });
globalThis.gc?.(); console.log('http started'.padEnd(16), mb());
await http.close(); await app.close(100); process.exit(0);
