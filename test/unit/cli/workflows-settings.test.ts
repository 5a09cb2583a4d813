import { PassThrough } from 'node:stream';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { workflowsSettings } from '../../../src/cli/workflows-settings.ts';
import { loadCliConfig } from '../../../src/cli/config.ts';
import type { CliIo } from '../../../src/cli/io.ts';
import { PLATFORMS } from '../../../src/platforms.ts';

// `comfyrelay workflows` reads `workflowsDir` and `locale` without validating the whole file: whatever
// the file and the environment say, it must land where the full loader lands.

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function ioIn(cwd: string, env: Record<string, string> = {}): CliIo {
  return {
    out: () => {},
    err: () => {},
    errRaw: () => {},
    isTTY: false,
    stderr: new PassThrough(),
    env,
    cwd,
    platforms: PLATFORMS,
    locale: (configured) => configured ?? 'en',
    onInterrupt: () => () => {},
  };
}

/** A working dir whose `comfyrelay.config.yaml` (if given) lives in `sub/`, one level down. */
function setup(yaml: string | undefined): { cwd: string; file: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'comfyrelay-wfsettings-'));
  dirs.push(cwd);
  mkdirSync(join(cwd, 'sub'));
  const file = join(cwd, 'sub', 'comfyrelay.config.yaml');
  if (yaml !== undefined) writeFileSync(file, yaml);
  return { cwd, file };
}

const CASES: { name: string; yaml?: string; env?: Record<string, string>; explicit?: boolean }[] = [
  { name: 'no file' },
  { name: 'a relative workflowsDir in the file', yaml: 'workflowsDir: ./mine\nlocale: zh\n', explicit: true },
  { name: 'an absolute workflowsDir', yaml: 'workflowsDir: /srv/workflows\n', explicit: true },
  {
    name: 'the environment over the file',
    yaml: 'workflowsDir: ./mine\nlocale: zh\n',
    env: { COMFYRELAY_WORKFLOWS_DIR: 'env-dir', COMFYRELAY_LOCALE: 'en' },
    explicit: true,
  },
  {
    name: 'COMFYRELAY_CONFIG naming the file',
    yaml: 'workflowsDir: w\n',
    env: { COMFYRELAY_CONFIG: 'sub/comfyrelay.config.yaml' },
  },
  { name: 'an empty file', yaml: '', explicit: true },
  {
    name: 'other sections beside',
    yaml: 'backends:\n  - url: http://127.0.0.1:8188\nretention: { jobsDays: 3 }\n',
    explicit: true,
  },
];

describe('workflowsSettings', () => {
  for (const c of CASES) {
    it(`GIVEN ${c.name} THEN it resolves workflowsDir and locale exactly as loadConfig does`, async () => {
      const { cwd, file } = setup(c.yaml);
      const io = ioIn(cwd, c.env);
      const full = loadCliConfig(io, c.explicit ? file : undefined);
      assert.ok(full.ok, full.ok ? '' : full.error);
      const light = await workflowsSettings(io, c.explicit ? file : undefined);
      assert.ok(light.ok);
      assert.deepEqual(light.value, { workflowsDir: full.value.workflowsDir, locale: full.value.locale });
    });
  }

  it('GIVEN a file the fast path cannot take (a wrong type, broken YAML, a missing file) THEN the error is the full loader’s', async () => {
    for (const yaml of ['workflowsDir: 5\n', 'locale: fr\n', 'workflowsDir: [\n', undefined]) {
      const { cwd, file } = setup(yaml);
      const io = ioIn(cwd);
      const full = loadCliConfig(io, file);
      const light = await workflowsSettings(io, file);
      assert.ok(!full.ok && !light.ok, `${yaml} is refused by both`);
      assert.equal(light.error, full.error);
    }
  });
});
