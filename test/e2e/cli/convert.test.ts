import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadTemplates } from '../../../src/workflows/loader.ts';
import { type FakeComfy, startFakeComfy } from '../../fakes/comfy/index.ts';
import { FIXTURES, readAllObjectInfo, readFixture } from '../../unit/workflows/helpers.ts';
import { cleanUp, runCli, SD15_CHECKPOINT, workspace } from './helpers.ts';

// A template saved with ComfyUI's plain "Save" must load at the server's start, which has no
// /object_info: stock nodes convert offline; for others the loader says which command converts the
// file once, and the converted file loads.

const UI = join(FIXTURES, 'sd15-primitive-reroute.ui.json');
const API = JSON.parse(readFileSync(join(FIXTURES, 'sd15-primitive-reroute.json'), 'utf8'));

let comfy: FakeComfy;
before(async () => {
  comfy = await startFakeComfy({ models: { checkpoints: [SD15_CHECKPOINT] } });
});
after(async () => {
  await comfy.close();
  cleanUp();
});

describe('comfyrelay workflows convert', () => {
  it('GIVEN a UI-format template with custom nodes and no /object_info THEN the loader refuses it naming the convert command', async () => {
    const ws = workspace([], []);
    copyFileSync(join(FIXTURES, 'face-detailer.ui.json'), join(ws.workflows, 'mine.json'));
    const { templates, errors } = await loadTemplates(ws.workflows);
    assert.deepEqual(templates, []);
    assert.match(errors[0]!.reason, /comfyrelay workflows convert <file> --backend URL/);
  });

  it('GIVEN custom nodes and --object-info FILE THEN writes exactly the API-format export, and the loader then loads it with no /object_info', async () => {
    const ws = workspace([], []);
    const info = join(ws.dir, 'object_info.json');
    writeFileSync(info, JSON.stringify(readAllObjectInfo()));
    const out = join(ws.workflows, 'mine.json');
    const ui = join(FIXTURES, 'face-detailer.ui.json');
    const r = await runCli(['workflows', 'convert', ui, '--object-info', info, '-o', out], { cwd: ws.dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Wrote .*mine\.json \(\d+ nodes, API format\)/);
    assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), readFixture('face-detailer'));
    const { templates, errors } = await loadTemplates(ws.workflows);
    assert.deepEqual(errors, []);
    assert.deepEqual(
      templates.map((t) => t.name),
      ['mine'],
    );
  });

  it('GIVEN --backend URL THEN asks that ComfyUI for /object_info and prints the same graph', async () => {
    const ws = workspace([], []);
    const r = await runCli(['workflows', 'convert', UI, '--backend', comfy.url], { cwd: ws.dir });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), API);
  });

  it('GIVEN neither --object-info nor --backend THEN prints the usage, exit 2', async () => {
    const ws = workspace([], []);
    const r = await runCli(['workflows', 'convert', UI], { cwd: ws.dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Usage: comfyrelay workflows convert/);
  });
});
