#!/usr/bin/env node
// ComfyRelay is TypeScript run directly by Node 24 (type stripping). On an older Node, re-run this command
// with the Node 24 that the project's `node` dependency installed, or say clearly what is needed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const major = Number(process.versions.node.split('.')[0]);
if (major >= 24) {
  // Cached stripped TypeScript: a short command then starts without loading the type stripper at all.
  nodeModule.enableCompileCache();
  await import(join(root, 'src/cli-main.ts'));
} else {
  const bundled = join(root, 'node_modules/node/bin/node');
  if (!existsSync(bundled)) {
    console.error(
      `ComfyRelay needs Node.js 24 or newer; this is ${process.version}. Run "npm install" in ${root} or install Node 24.`,
    );
    console.error(
      `ComfyRelay 需要 Node.js 24 或更高版本；当前为 ${process.version}。请在 ${root} 运行 "npm install" 或安装 Node 24。`,
    );
    process.exit(1);
  }
  // The directory `enableCompileCache()` uses by default: the entry file's stripped types are cached too.
  const cache = process.env.NODE_COMPILE_CACHE ?? join(tmpdir(), 'node-compile-cache');
  const result = spawnSync(bundled, [join(root, 'src/cli-main.ts'), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_COMPILE_CACHE: cache },
  });
  process.exit(result.status ?? 1);
}
