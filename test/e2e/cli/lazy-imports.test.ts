import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ROOT } from './helpers.ts';

// A short command must start fast: it loads its own modules only, never the engine, the platforms'
// libraries or the template loader. Checked by the modules a real `comfyrelay` process resolved.

const RECORDER = join(import.meta.dirname, 'record-imports.ts');
const dir = mkdtempSync(join(tmpdir(), 'comfyrelay-imports-'));
let runs = 0;

/** Every module URL `comfyrelay <args>` resolved, relative to the project (packages by name). */
async function modulesOf(args: readonly string[]): Promise<string[]> {
  const file = join(dir, `run-${runs++}.txt`);
  const child = spawn(process.execPath, ['--import', RECORDER, join(ROOT, 'src/cli-main.ts'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', LANG: 'C', RECORD_IMPORTS: file },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(status, 0, stderr);
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((url) => url.startsWith('file:'))
    .map((url) => url.replace(/^.*\/node_modules\/((@[^/]+\/)?[^/]+).*$/, 'package:$1'))
    .map((url) => url.replace(`file://${ROOT}/`, ''));
}

const packages = (modules: string[]) => [...new Set(modules.filter((m) => m.startsWith('package:')))];

// Each test starts its own process and reads its own record: they may run side by side.
describe('what a short command loads', { concurrency: true }, () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('GIVEN workflows inspect --json THEN no package and nothing of the engine, the platforms or the template loader is loaded', async () => {
    const modules = await modulesOf(['workflows', 'inspect', 'workflows/sd15-txt2img.json', '--json']);
    assert.ok(modules.includes('src/workflows/inspect.ts'), 'the recorder saw the command run');
    assert.deepEqual(packages(modules), []);
    const heavy = modules.filter((m) =>
      /^src\/(core\/(app|jobs|pool|storage)|adapters|comfy|config|platforms\.ts|workflows\/(index|loader|manifest)\.ts)/.test(
        m,
      ),
    );
    assert.deepEqual(heavy, []);
  });

  it('GIVEN --help THEN no package is loaded', async () => {
    assert.deepEqual(packages(await modulesOf(['--help'])), []);
  });

  it('GIVEN imagine (the engine on memory storage) THEN no Redis client is loaded: only shared mode needs one', async () => {
    const modules = await modulesOf(['imagine', '--help']);
    assert.ok(modules.includes('src/core/app.ts'), 'the engine was loaded');
    const redis = packages(modules).filter((p) => /redis/.test(p));
    assert.deepEqual(redis, []);
  });

  it('GIVEN workflows (the list, which reads two keys of the configuration) THEN only the YAML parser loads: no schema library, no platform, not the engine', async () => {
    const modules = await modulesOf(['workflows', '--json']);
    assert.ok(modules.includes('src/workflows/loader.ts'), 'the recorder saw the command run');
    assert.deepEqual(packages(modules), ['package:yaml']);
    const heavy = modules.filter((m) =>
      /^src\/(core\/(app|jobs|pool|storage)|adapters|comfy|config|platforms\.ts)/.test(m),
    );
    assert.deepEqual(heavy, []);
  });
});
