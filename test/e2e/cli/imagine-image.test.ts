import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type FakeComfy, startFakeComfy } from '../../fakes/comfy/index.ts';
import { pngBytes } from '../../fakes/comfy/images.ts';
import { cleanUp, PNG_SIGNATURE, runCli, SD15_CHECKPOINT, startCli, waitFor, workspace } from './helpers.ts';

const fakes: FakeComfy[] = [];
async function fake(stepDelayMs = 5): Promise<FakeComfy> {
  const f = await startFakeComfy({
    models: { checkpoints: [SD15_CHECKPOINT], upscale_models: ['4x-UltraSharp.pth'] },
    stepDelayMs,
  });
  fakes.push(f);
  return f;
}
const posts = (f: FakeComfy) => f.requests.filter((r) => r.method === 'POST' && /\/prompt$/.test(r.path));
const isQueueDelete = (r: FakeComfy['requests'][number]) => r.method === 'POST' && /\/queue$/.test(r.path);
type Graph = Record<string, { class_type: string; inputs: Record<string, unknown> }>;
const graphOf = (r: { json?: unknown }) => (r.json as { prompt: Graph }).prompt;
const TEMPLATES = ['sd15-txt2img', 'sd15-img2img', 'upscale-4x'];

async function pngFile(dir: string, name = 'photo.png'): Promise<string> {
  const path = join(dir, name);
  writeFileSync(path, await pngBytes(96, 64, [30, 160, 90]));
  return path;
}

describe('comfyrelay imagine --image / --n', () => {
  after(async () => {
    cleanUp();
    await Promise.all(fakes.map((f) => f.close()));
  });

  it('GIVEN --image with a PNG and no --workflow THEN runs the img2img template on the uploaded file', async () => {
    const f = await fake();
    const ws = workspace(TEMPLATES, [f.url]);
    await pngFile(ws.dir);
    const run = await runCli(
      [
        'imagine',
        'a watercolour fox --steps 4 --seed 9',
        '--image',
        'photo.png',
        '--json',
        '--out',
        ws.out,
        '--config',
        ws.config,
      ],
      { cwd: ws.dir },
    );
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { template: string; seed: number; files: string[] };
    assert.equal(result.template, 'sd15-img2img');
    assert.equal(result.seed, 9);
    assert.equal(result.files.length, 1);
    assert.deepEqual(readFileSync(result.files[0] ?? '').subarray(0, 8), PNG_SIGNATURE);
    assert.ok(f.requests.some((q) => q.method === 'POST' && /\/upload\/image$/.test(q.path)));
    const [uploaded] = f.uploads();
    assert.ok(uploaded);
    const [post] = posts(f);
    assert.ok(post);
    const loaders = Object.values(graphOf(post)).filter((n) => n.class_type === 'LoadImage');
    assert.deepEqual(
      loaders.map((n) => n.inputs['image']),
      [uploaded],
    );
  });

  it('GIVEN --image with --workflow upscale-4x and no prompt THEN upscales the file', async () => {
    const f = await fake();
    const ws = workspace(TEMPLATES, [f.url]);
    const file = await pngFile(ws.dir);
    const r = await runCli(
      ['imagine', '--workflow', 'upscale-4x', '--image', file, '--out', ws.out, '--config', ws.config],
      { cwd: ws.dir },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readdirSync(ws.out).length, 1);
    assert.equal(f.uploads().length, 1);
    const graph = graphOf(posts(f)[0] ?? {});
    assert.ok(Object.values(graph).some((n) => n.class_type === 'ImageUpscaleWithModel'));
  });

  it('GIVEN a text file as --image THEN a clear message, exit 2 and nothing queued', async () => {
    const f = await fake();
    const ws = workspace(TEMPLATES, [f.url]);
    writeFileSync(join(ws.dir, 'notes.png'), 'just some text, not a picture\n');
    const r = await runCli(
      ['imagine', 'a fox', '--image', 'notes.png', '--out', ws.out, '--config', ws.config],
      { cwd: ws.dir },
    );
    assert.equal(r.code, 2);
    assert.match(r.stderr, /notes\.png is not an image ComfyUI can read: use a PNG, JPEG, WebP or GIF/);
    assert.equal(posts(f).length, 0);
    assert.equal(f.uploads().length, 0);
    const missing = await runCli(['imagine', 'a fox', '--image', 'nope.png', '--config', ws.config], {
      cwd: ws.dir,
    });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /Cannot read the image nope\.png \(ENOENT\)/);
  });

  it('GIVEN an image template without --image THEN says it needs one, exit 2', async () => {
    const f = await fake();
    const ws = workspace(TEMPLATES, [f.url]);
    const r = await runCli(['imagine', 'a fox --workflow sd15-img2img', '--config', ws.config], {
      cwd: ws.dir,
    });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /The workflow "sd15-img2img" needs an input image/);
    assert.equal(posts(f).length, 0);
  });

  it('GIVEN --n 2 on a template without a batch parameter THEN two jobs with successive seeds, a JSON list', async () => {
    const f = await fake(20);
    const ws = workspace(TEMPLATES, [f.url]);
    await pngFile(ws.dir);
    const r = await runCli(
      [
        'imagine',
        'a fox --steps 3 --seed 41 --n 2',
        '--image',
        'photo.png',
        '--json',
        '--out',
        ws.out,
        '--config',
        ws.config,
      ],
      { cwd: ws.dir },
    );
    assert.equal(r.code, 0, r.stderr);
    const results = JSON.parse(r.stdout) as { jobId: string; seed: number; files: string[] }[];
    assert.equal(results.length, 2);
    assert.deepEqual(
      results.map((x) => x.seed),
      [41, 42],
    );
    assert.notEqual(results[0]?.jobId, results[1]?.jobId);
    for (const x of results) assert.equal(basename(x.files[0] ?? ''), `${x.jobId}_${x.seed}_1.png`);
    assert.equal(readdirSync(ws.out).length, 2);
    assert.equal(posts(f).length, 2);
    const seeds = posts(f).map((p) =>
      Object.values(graphOf(p))
        .filter((n) => n.class_type === 'KSampler')
        .map((n) => n.inputs['seed']),
    );
    assert.deepEqual(seeds.flat().sort(), [41, 42]);
  });

  it('GIVEN --n 2 without --seed and without --json THEN numbered progress, two different random seeds', async () => {
    const f = await fake(20);
    const ws = workspace(TEMPLATES, [f.url]);
    await pngFile(ws.dir);
    const r = await runCli(
      ['imagine', 'a fox --steps 3 --n 2', '--image', 'photo.png', '--out', ws.out, '--config', ws.config],
      { cwd: ws.dir },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /\[1\/2\] /);
    assert.match(r.stderr, /\[2\/2\] /);
    const files = readdirSync(ws.out);
    assert.equal(files.length, 2);
    const seeds = new Set(files.map((n) => n.split('_')[1]));
    assert.equal(seeds.size, 2, files.join(' '));
    assert.equal((r.stdout.match(/Done in/g) ?? []).length, 2, r.stdout);
  });

  it('GIVEN Ctrl-C during --n 2 THEN every job of the run is canceled, nothing saved, exit 130', async () => {
    const f = await fake(100);
    const ws = workspace(TEMPLATES, [f.url]);
    await pngFile(ws.dir);
    const run = startCli(
      [
        'imagine',
        'a slow fox --steps 30 --n 2',
        '--image',
        'photo.png',
        '--out',
        ws.out,
        '--config',
        ws.config,
      ],
      { cwd: ws.dir },
    );
    await waitFor(() => /\[1\/2\].*step \d+\/30/.test(run.stderr()), 15_000);
    // The GPU holds the job between two steps until the cancel reached ComfyUI: it is still running then.
    f.stall(true);
    run.interrupt();
    await waitFor(() => f.interrupts.byPromptId.length > 0 || f.requests.some(isQueueDelete));
    f.stall(false);
    const r = await run.done;
    assert.equal(r.code, 130, r.stderr);
    assert.equal((r.stderr.match(/Canceled\./g) ?? []).length, 2, r.stderr);
    const ids = posts(f).map((p) => (p.json as { prompt_id?: string }).prompt_id ?? '');
    assert.ok(ids.length >= 1);
    for (const id of ids) {
      const deleted = f.requests.some(
        (q) => /\/queue$/.test(q.path) && JSON.stringify(q.json ?? {}).includes(id),
      );
      assert.ok(f.interrupts.byPromptId.includes(id) || deleted, `${id}: ${JSON.stringify(f.interrupts)}`);
    }
    assert.equal(f.interrupts.global, 0);
    assert.deepEqual(readdirSync(ws.dir).includes('out') ? readdirSync(ws.out) : [], []);
  });
});
