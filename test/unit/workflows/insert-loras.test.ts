import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bindWorkflow } from '../../../src/workflows/bind.ts';
import { checkWorkflow } from '../../../src/workflows/check.ts';
import { cloneWorkflow } from '../../../src/workflows/graph.ts';
import { insertLoras } from '../../../src/workflows/insert-loras.ts';
import type { ApiWorkflow } from '../../../src/workflows/types.ts';
import { readFixtureGraph } from './helpers.ts';
import { catalogWith, shipped } from './installed.ts';

const sd15 = shipped('sd15-txt2img');
const flux = shipped('flux-schnell-txt2img');

describe('LoRAs inserted after the model loader', () => {
  it('GIVEN a checkpoint loader and two LoRAs THEN a LoraLoader chain with fresh ids takes over MODEL and CLIP', () => {
    const graph = cloneWorkflow(sd15.graph);
    const out = insertLoras(graph, sd15.slots![0]!, [
      { name: 'film_grain.safetensors', strength: 0.7 },
      { name: 'detail_tweaker.safetensors', strength: -0.5 },
    ]);
    assert.ok(out.ok);
    const expected: ApiWorkflow = cloneWorkflow(sd15.graph);
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
    expected['11'] = {
      class_type: 'LoraLoader',
      inputs: {
        lora_name: 'detail_tweaker.safetensors',
        strength_model: -0.5,
        strength_clip: -0.5,
        model: ['10', 0],
        clip: ['10', 1],
      },
      _meta: { title: 'LoRA detail_tweaker.safetensors' },
    };
    expected['3']!.inputs['model'] = ['11', 0];
    expected['6']!.inputs['clip'] = ['11', 1];
    expected['7']!.inputs['clip'] = ['11', 1];
    assert.deepEqual(out.value, expected);
    assert.deepEqual(expected['8']!.inputs['vae'], ['4', 2], 'the VAE output still comes from the loader');
    const installed = catalogWith({
      checkpoints: ['v1-5-pruned-emaonly.safetensors'],
      loras: ['film_grain.safetensors', 'detail_tweaker.safetensors'],
    });
    assert.deepEqual(checkWorkflow(out.value, installed), []);
  });

  it('GIVEN a diffusion-model loader (no CLIP) THEN LoraLoaderModelOnly, and every model consumer is rewired', () => {
    const graph = cloneWorkflow(flux.graph);
    const out = insertLoras(graph, flux.slots![0]!, [{ name: 'flux_realism.safetensors', strength: 0.8 }]);
    assert.ok(out.ok);
    assert.deepEqual(out.value['28'], {
      class_type: 'LoraLoaderModelOnly',
      inputs: { lora_name: 'flux_realism.safetensors', strength_model: 0.8, model: ['12', 0] },
      _meta: { title: 'LoRA flux_realism.safetensors' },
    });
    assert.deepEqual(out.value['17']!.inputs['model'], ['28', 0]);
    assert.deepEqual(out.value['22']!.inputs['model'], ['28', 0]);
    assert.deepEqual(out.value['6']!.inputs['clip'], ['11', 0], 'the text encoders are left alone');
  });

  it('GIVEN a graph that already chains a LoRA THEN the new one goes right after the loader, before it', () => {
    const graph = readFixtureGraph('lora-chain');
    const loader = Object.entries(graph).find(([, n]) => n.class_type === 'CheckpointLoaderSimple')![0];
    const before = Object.entries(graph).filter(([, n]) => n.class_type === 'LoraLoader');
    const out = insertLoras(graph, { node: loader, loader: 'CheckpointLoaderSimple' }, [
      { name: 'x.safetensors', strength: 1 },
    ]);
    assert.ok(out.ok);
    const added = Object.keys(out.value).find(
      (id) => out.value[id]!.inputs['lora_name'] === 'x.safetensors',
    )!;
    for (const [id] of before) {
      const uses = Object.values(out.value[id]!.inputs).filter(Array.isArray) as [string, number][];
      assert.ok(
        uses.every(([node]) => node !== loader),
        `LoraLoader#${id} still reads the loader`,
      );
    }
    assert.deepEqual(out.value[added]!.inputs['model'], [loader, 0]);
  });

  it('GIVEN an unknown loader THEN refused rather than guessed', () => {
    const out = insertLoras(cloneWorkflow(sd15.graph), { node: '4', loader: 'Efficient Loader' }, [
      { name: 'x', strength: 1 },
    ]);
    assert.deepEqual(out, { ok: false, error: 'cannot apply a LoRA to Efficient Loader#4' });
  });
});

describe('binding with model choices', () => {
  it('GIVEN models and LoRAs THEN the slot holds the file and the chain is in place', () => {
    const bound = bindWorkflow(
      sd15,
      { prompt: 'a fox' },
      {
        jobId: 'j1',
        seed: 5,
        models: { checkpoint: 'dreamshaper_8.safetensors' },
        loras: [{ name: 'film_grain.safetensors', strength: 0.7 }],
      },
    );
    assert.ok(bound.ok);
    assert.equal(bound.value.workflow['4']!.inputs['ckpt_name'], 'dreamshaper_8.safetensors');
    assert.equal(bound.value.workflow['10']!.class_type, 'LoraLoader');
    assert.deepEqual(bound.value.workflow['3']!.inputs['model'], ['10', 0]);
  });

  it('GIVEN a value for the parameter writing the same input THEN the value wins over the slot choice', () => {
    const bound = bindWorkflow(
      sd15,
      { prompt: 'a fox', checkpoint: 'chosen-by-value.safetensors' },
      { jobId: 'j1', seed: 5, models: { checkpoint: 'dreamshaper_8.safetensors' } },
    );
    assert.ok(bound.ok);
    assert.equal(bound.value.workflow['4']!.inputs['ckpt_name'], 'chosen-by-value.safetensors');
  });

  it('GIVEN a slot the template lacks, or LoRAs on an upscaler THEN a message, no graph', () => {
    const slot = bindWorkflow(sd15, { prompt: 'x' }, { jobId: 'j', models: { vae: 'a.safetensors' } });
    assert.deepEqual(slot, {
      ok: false,
      error: {
        code: 'workflows.model.unknown_slot',
        params: { slot: 'vae', template: 'sd15-txt2img', known: 'checkpoint' },
      },
    });
    const upscale = shipped('upscale-4x');
    const lora = bindWorkflow(
      upscale,
      { image: 'a.png' },
      { jobId: 'j', loras: [{ name: 'x.safetensors', strength: 1 }] },
    );
    assert.deepEqual(lora, {
      ok: false,
      error: { code: 'workflows.lora.unsupported', params: { template: 'upscale-4x' } },
    });
  });
});
