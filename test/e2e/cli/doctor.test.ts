import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type FakeComfy, startFakeComfy } from '../../fakes/comfy/index.ts';
import { cleanUp, runCli, SD15_CHECKPOINT, workspace } from './helpers.ts';

const fakes: FakeComfy[] = [];
async function fake(checkpoints: string[]): Promise<FakeComfy> {
  const f = await startFakeComfy({ models: { checkpoints } });
  fakes.push(f);
  return f;
}

/** Nothing listens on port 1: connections are refused at once. */
const DEAD_URL = 'http://127.0.0.1:1';

describe('comfyrelay doctor', () => {
  after(async () => {
    cleanUp();
    await Promise.all(fakes.map((f) => f.close()));
  });

  it('GIVEN the sd15 checkpoint installed and only sd15-txt2img THEN all is well, exit 0', async () => {
    const f = await fake([SD15_CHECKPOINT]);
    const ws = workspace(['sd15-txt2img'], [f.url]);
    const r = await runCli(['doctor', '--config', ws.config], { cwd: ws.dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /reachable/);
    assert.match(r.stdout, /0\.3\.64/);
    assert.match(r.stdout, /VRAM/);
    assert.match(r.stdout, /sd15-txt2img\s+ok/);
  });

  it('GIVEN the checkpoint missing THEN names the model, the template and the fix, exit 1', async () => {
    const f = await fake(['something-else.safetensors']);
    const ws = workspace(['sd15-txt2img'], [f.url]);
    const r = await runCli(['doctor', '--config', ws.config], { cwd: ws.dir });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /sd15-txt2img/);
    assert.match(r.stdout, /v1-5-pruned-emaonly\.safetensors/);
    assert.match(r.stdout, /models\/checkpoints/);
    const json = await runCli(['doctor', '--json', '--config', ws.config], { cwd: ws.dir });
    const report = JSON.parse(json.stdout) as {
      ok: boolean;
      templates: { name: string; runnableOn: string[] }[];
    };
    assert.equal(report.ok, false);
    assert.deepEqual(report.templates[0]?.runnableOn, []);
  });

  it('GIVEN an unreachable backend THEN says so, exit 1', async () => {
    const ws = workspace(['sd15-txt2img'], [DEAD_URL]);
    const r = await runCli(['doctor', '--config', ws.config], { cwd: ws.dir });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /UNREACHABLE/);
  });

  it('GIVEN a broken template file THEN shows file, path and reason, exit 1', async () => {
    const f = await fake([SD15_CHECKPOINT]);
    const ws = workspace(['sd15-txt2img'], [f.url]);
    writeFileSync(join(ws.workflows, 'broken.json'), '{"1": {"class_type": "KSampler", "inputs": ');
    const r = await runCli(['doctor', '--config', ws.config], { cwd: ws.dir });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /broken\.json at \$.*invalid JSON/);
  });

  it('GIVEN a bad config THEN reports the key, exit 2', async () => {
    const ws = workspace([], [DEAD_URL], 'lgLevel: info\n');
    const r = await runCli(['doctor', '--config', ws.config], { cwd: ws.dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /lgLevel/);
    assert.match(r.stderr, /logLevel/);
  });
});
