import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { inspectParsed, inspectWorkflow } from '../../../src/workflows/index.ts';
import { cleanUp, ROOT, runCli, workspace } from './helpers.ts';

const FIXTURE = join(ROOT, 'test/fixtures/workflows/sdxl-refiner.json');

describe('comfyrelay workflows', () => {
  after(() => cleanUp());

  it('GIVEN templates THEN lists each with description, tags and flags with ranges and defaults', async () => {
    const ws = workspace(['sd15-txt2img', 'upscale-4x'], ['http://127.0.0.1:1']);
    const r = await runCli(['workflows', '--config', ws.config], { cwd: ws.dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /sd15-txt2img\s+\[sd15, txt2img\]/);
    assert.match(r.stdout, /Stable Diffusion 1\.5 text to image/);
    assert.match(r.stdout, /--steps\s+integer 1…50\s+20/);
    assert.match(r.stdout, /--upscale_model\s+4x-UltraSharp\.pth \| RealESRGAN_x4plus\.pth/);
    const zh = await runCli(['workflows', '--lang', 'zh', '--config', ws.config], { cwd: ws.dir });
    assert.match(zh.stdout, /文生图/);
    assert.match(zh.stdout, /采样步数/);
  });

  it('GIVEN inspect --json on an exported workflow THEN prints exactly inspectWorkflow()', async () => {
    const r = await runCli(['workflows', 'inspect', FIXTURE, '--json'], { cwd: ROOT });
    assert.equal(r.code, 0, r.stderr);
    const expected = inspectWorkflow(JSON.parse(readFileSync(FIXTURE, 'utf8')));
    assert.deepEqual(JSON.parse(r.stdout), JSON.parse(JSON.stringify(expected)));
  });

  it('GIVEN inspect THEN shows the links walked, the outputs and what was not found', async () => {
    const r = await runCli(['workflows', 'inspect', FIXTURE], { cwd: ROOT });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /KSamplerAdvanced#10\.positive → CLIPTextEncode#6\.text/);
    assert.match(r.stdout, /Output nodes: #19 SaveImage/);
    assert.match(r.stdout, /Not found in this workflow: denoise, image/);
  });

  it('GIVEN a UI-format file and --object-info THEN inspect converts it and lists the passes that keep their settings', async () => {
    const ui = join(ROOT, 'test/fixtures/workflows/face-detailer.ui.json');
    const info = join(workspace([], []).dir, 'object-info.json');
    const stock = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/comfyui/object-info.json'), 'utf8'));
    const custom = JSON.parse(
      readFileSync(join(ROOT, 'test/fixtures/workflows/custom-object-info.json'), 'utf8'),
    );
    writeFileSync(info, JSON.stringify({ ...stock, ...custom }));
    const r = await runCli(['workflows', 'inspect', ui, '--object-info', info], { cwd: ROOT });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /FaceDetailer#16\.denoise/);
    assert.match(
      r.stdout,
      /Pass #16 FaceDetailer \(after #3\): keeps its own steps, cfg, sampler, scheduler/,
    );
    assert.match(r.stdout, /Output nodes: #9 SaveImage, #10 PreviewImage/);
    const json = await runCli(['workflows', 'inspect', ui, '--object-info', info, '--json'], { cwd: ROOT });
    const expected = inspectParsed(JSON.parse(readFileSync(ui, 'utf8')), { ...stock, ...custom });
    assert.ok(expected.ok);
    assert.deepEqual(JSON.parse(json.stdout), JSON.parse(JSON.stringify(expected.value.report)));
    const without = await runCli(['workflows', 'inspect', ui], { cwd: ROOT });
    assert.equal(without.code, 1);
    assert.match(
      without.stderr,
      /at \$\.nodes: cannot convert this UI-format workflow: .*--object-info FILE/,
    );
  });

  it('GIVEN a typo in a command or an option THEN suggests the nearest, exit 2', async () => {
    const cmd = await runCli(['doctr'], { cwd: ROOT });
    assert.equal(cmd.code, 2);
    assert.match(cmd.stderr, /did you mean "doctor"/);
    const opt = await runCli(['workflows', 'inspect', FIXTURE, '--jsno'], { cwd: ROOT });
    assert.equal(opt.code, 2);
    assert.match(opt.stderr, /--jsno; did you mean --json/);
    const zh = await runCli(['doctr', '--lang', 'zh'], { cwd: ROOT });
    assert.match(zh.stderr, /未知命令/);
  });

  it('GIVEN --help and --version THEN answers, exit 0', async () => {
    const help = await runCli(['--help'], { cwd: ROOT });
    assert.equal(help.code, 0);
    assert.match(help.stdout, /imagine/);
    assert.match(help.stdout, /doctor/);
    const sub = await runCli(['imagine', '--help'], { cwd: ROOT });
    assert.match(sub.stdout, /--out DIR/);
    const version = await runCli(['--version'], { cwd: ROOT });
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(version.stdout.trim(), pkg.version);
  });
});
