import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { type FakeComfy, startFakeComfy } from '../../fakes/comfy/index.ts';
import { cleanUp, ROOT, runCli, SD15_CHECKPOINT, workspace } from './helpers.ts';

/** A ComfyUI whose SD 1.5 checkpoints are not the one the shipped template names. */
const MODELS = {
  checkpoints: ['dreamshaper_8.safetensors', 'realisticVision_v51.safetensors'],
  loras: ['film_grain.safetensors', 'detail_tweaker.safetensors'],
};

const fakes: FakeComfy[] = [];
async function fake(): Promise<FakeComfy> {
  const f = await startFakeComfy({ models: MODELS, stepDelayMs: 1 });
  fakes.push(f);
  return f;
}

type Graph = Record<string, { class_type: string; inputs: Record<string, unknown>; _meta?: unknown }>;
const posted = (f: FakeComfy): Graph[] =>
  f.requests
    .filter((r) => r.method === 'POST' && /\/prompt$/.test(r.path))
    .map((r) => (r.json as { prompt: Graph }).prompt);

/** The shipped sd15-txt2img graph as the binder writes it for `prompt` with seed 5 and 4 steps. */
function expectedSd15(jobId: string, prompt: string, checkpoint: string): Graph {
  const graph = JSON.parse(readFileSync(join(ROOT, 'workflows/sd15-txt2img.json'), 'utf8')) as Graph;
  Object.assign(graph['3']!.inputs, { seed: 5, steps: 4, cfg: 7, sampler_name: 'euler_ancestral' });
  Object.assign(graph['3']!.inputs, { scheduler: 'normal', denoise: 1 });
  graph['4']!.inputs['ckpt_name'] = checkpoint;
  graph['6']!.inputs['text'] = prompt;
  graph['7']!.inputs['text'] = 'lowres, blurry, text, watermark, bad anatomy';
  graph['9']!.inputs['filename_prefix'] = `comfyrelay/${jobId}/sd15`;
  return graph;
}

const CONFIG_COMMENT = '# my own note, kept by doctor --fix\n';

describe('comfyrelay with the operator’s own models', () => {
  after(async () => {
    cleanUp();
    await Promise.all(fakes.map((f) => f.close()));
  });

  it('GIVEN only other SD 1.5 checkpoints THEN doctor --fix --yes writes the mapping and imagine runs sd15-txt2img with it', async () => {
    const f = await fake();
    const ws = workspace(['sd15-txt2img'], [f.url], CONFIG_COMMENT);
    const before = await runCli(['doctor', '--config', ws.config], { cwd: ws.dir });
    assert.equal(before.code, 1);
    assert.match(before.stdout, /doctor --fix/);

    const fix = await runCli(['doctor', '--fix', '--yes', '--config', ws.config], { cwd: ws.dir });
    assert.equal(fix.code, 0, fix.stdout + fix.stderr);
    assert.ok(
      fix.stdout.includes(
        `sd15-txt2img: ${SD15_CHECKPOINT} is missing; installed checkpoints: dreamshaper_8.safetensors, realisticVision_v51.safetensors — use dreamshaper_8.safetensors?`,
      ),
      fix.stdout,
    );
    const text = readFileSync(ws.config, 'utf8');
    assert.ok(text.includes(CONFIG_COMMENT), text);
    const written = parse(text) as { models: unknown; progress: unknown };
    assert.deepEqual(written.models, {
      defaults: { 'sd15-txt2img': { checkpoint: 'dreamshaper_8.safetensors' } },
      families: { sd15: ['dreamshaper_8.safetensors'] },
    });
    assert.deepEqual(written.progress, { intervalMs: 100 });

    const r = await runCli(
      ['imagine', 'a red fox --seed 5 --steps 4', '--json', '--out', ws.out, '--config', ws.config],
      {
        cwd: ws.dir,
      },
    );
    assert.equal(r.code, 0, r.stderr);
    const { jobId, template } = JSON.parse(r.stdout) as { jobId: string; template: string };
    assert.equal(template, 'sd15-txt2img');
    assert.deepEqual(posted(f).at(-1), expectedSd15(jobId, 'a red fox', 'dreamshaper_8.safetensors'));
  });

  it('GIVEN --model with an installed checkpoint and <lora:…:0.7> THEN ComfyUI receives exactly that model and one LoraLoader', async () => {
    const f = await fake();
    const ws = workspace(['sd15-txt2img'], [f.url]);
    const line = 'a red fox, <lora:film:0.7>, snow --seed 5 --steps 4 --model RealisticVision_v51';
    const r = await runCli(['imagine', line, '--json', '--out', ws.out, '--config', ws.config], {
      cwd: ws.dir,
    });
    assert.equal(r.code, 0, r.stderr);
    const { jobId } = JSON.parse(r.stdout) as { jobId: string };
    const expected = expectedSd15(jobId, 'a red fox, snow', 'realisticVision_v51.safetensors');
    expected['10'] = {
      class_type: 'LoraLoader',
      inputs: {
        lora_name: 'film_grain.safetensors',
        strength_model: 0.7,
        strength_clip: 0.7,
        model: ['4', 0],
        clip: ['4', 1],
      },
      _meta: { title: 'LoRA film_grain.safetensors' },
    };
    expected['3']!.inputs['model'] = ['10', 0];
    expected['6']!.inputs['clip'] = ['10', 1];
    expected['7']!.inputs['clip'] = ['10', 1];
    assert.deepEqual(posted(f).at(-1), expected);
  });

  it('GIVEN an unknown LoRA or a model the operator does not allow THEN a clear refusal and nothing queued', async () => {
    const f = await fake();
    const allow = 'models:\n  allow:\n    templates:\n      sd15-txt2img: ["dreamshaper*", film_grain*]\n';
    const ws = workspace(['sd15-txt2img'], [f.url], allow);
    const lora = await runCli(
      ['imagine', 'a cat --lora flim_grain:0.5 --model dreamshaper_8', '--config', ws.config],
      {
        cwd: ws.dir,
      },
    );
    assert.equal(lora.code, 2);
    assert.match(lora.stderr, /flim_grain.*film_grain\.safetensors/);
    const model = await runCli(['imagine', 'a cat --model realisticVision_v51', '--config', ws.config], {
      cwd: ws.dir,
    });
    assert.equal(model.code, 2);
    assert.match(model.stderr, /realisticVision_v51\.safetensors.*may not be chosen/);
    assert.equal(posted(f).length, 0);
  });
});
