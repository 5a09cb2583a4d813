/**
 * ComfyRelay's HTTP server alone in its own process, for bench/uploads: its RSS is the server's, not
 * the client's. Prints `{ url, key }` as one JSON line; SIGTERM stops it and removes its data dir.
 */
import { httpDeps } from '../src/adapters/http/deps.ts';
import { startHttp } from '../src/adapters/http/index.ts';
import { ApiKeys } from '../src/core/keys/api-keys.ts';
import { relayPorts } from '../src/core/ports/relay-ports.ts';
import { testApp, testConfig } from '../test/helpers/app.ts';

const uploadMb = Number(process.env.UPLOAD_MB ?? 50);
const config = testConfig({
  backends: [{ name: 'gpu', url: process.env.COMFY_URL ?? 'http://127.0.0.1:9' }],
  http: {
    limits: {
      uploadMb,
      concurrentUploads: 16,
      uploadsPerMinute: 10_000,
      storageMbPerKey: 100_000,
      assetsPerKey: 100_000,
    },
  },
});
const app = await testApp(config);
const { key } = await new ApiKeys(app.storage.keys).create({ name: 'bench', tier: 'bench' });
const http = await startHttp(httpDeps(relayPorts(app), app.config), { port: 0 });
process.stdout.write(`${JSON.stringify({ url: http.url, key })}\n`);
process.on('SIGTERM', async () => {
  await http.close();
  await app.close(1000);
  config.cleanup();
  process.exit(0);
});
