import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fsBlobStore } from '../src/core/blobs/fs-blob-store.ts';
for (const durable of [true, false, true, false]) {
  const s = fsBlobStore(mkdtempSync(join(tmpdir(), 'fs-')), { durable });
  const b = randomBytes(60 * 1024);
  const times: number[] = [];
  for (let i = 0; i < 100; i++) { b.writeUInt32BE(i, 0); const t = performance.now(); await s.put(b); times.push(performance.now() - t); }
  times.sort((a, b) => a - b);
  console.log({ durable, p50: times[50]!.toFixed(2), p90: times[90]!.toFixed(2) });
}
