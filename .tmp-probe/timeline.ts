import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { startHttp } from '../src/adapters/http/index.ts';
import { ApiKeys } from '../src/core/keys/api-keys.ts';
import { testApp, testConfig } from '../test/helpers/app.ts';

const child = spawn(process.execPath, [resolve(import.meta.dirname, '../bench/fake-comfy-process.ts')], { env: { ...process.env, FAKE_JOB_MS: '200' }, stdio: ['ignore', 'pipe', 'inherit'] });
const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
const config = testConfig({ backends: [{ name: 'gpu', url: line.trim() }], quotas: { tiers: [{ name: 'b', match: { apiKeyTier: 'b' }, running: 100, waiting: 100, perWindow: 100000 }] } });
const app = await testApp(config, { clientOptions: undefined, refreshIntervalMs: undefined });
const { key } = await new ApiKeys(app.storage.keys).create({ name: 'b', tier: 'b' });
const http = await startHttp(app, { port: 0 });
await app.engine.start();
let t0 = 0;
const marks: string[] = [];
const mark = (what: string) => marks.push(`${(performance.now() - t0).toFixed(1).padStart(7)} ${what}`);
app.engine.onTransition((job, from) => mark(`transition ${from} -> ${job.state}`));
app.engine.onUpdate((u) => mark(`update ${u.job.state}${u.progress ? ` ${u.progress.fraction.toFixed(2)}` : ''}`));
const origPut = app.assets.put.bind(app.assets);
app.assets.put = async (i) => { mark('asset put start'); const r = await origPut(i); mark('asset put end'); return r; };
for (let i = 0; i < 6; i++) {
  marks.length = 0;
  t0 = performance.now();
  const res = await fetch(`${http.url}/api/relay/imagine?wait=true`, { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ prompt: `job ${i} --steps 4` }) });
  mark(`response headers ${res.status}`);
  await res.arrayBuffer();
  mark('response body');
  if (i >= 4) console.log(marks.join('\n'), '\n');
}
await http.close(); await app.close(1000); child.kill(); config.cleanup(); process.exit(0);
