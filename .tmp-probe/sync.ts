import { open } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const dir = mkdtempSync(join(tmpdir(), 'sync-'));
const b = Buffer.alloc(60 * 1024, 1);
for (const mode of ['sync', 'datasync', 'none', 'sync', 'datasync', 'none']) {
  const t: number[] = [];
  for (let i = 0; i < 100; i++) {
    const f = await open(join(dir, `${mode}-${i}`), 'wx');
    await f.write(b);
    const s = performance.now();
    if (mode === 'sync') await f.sync(); else if (mode === 'datasync') await f.datasync();
    t.push(performance.now() - s);
    await f.close();
  }
  t.sort((a, b) => a - b);
  console.log(mode.padEnd(9), 'p50', t[50]!.toFixed(2), 'p90', t[90]!.toFixed(2), 'p99', t[99]!.toFixed(2));
}
