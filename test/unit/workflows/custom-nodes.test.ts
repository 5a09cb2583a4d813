import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspectWorkflow } from '../../../src/workflows/inspect.ts';
import { type Expected, latent, parametersOf, sampler } from './expected.ts';
import { readAllObjectInfo, readFixtureGraph } from './helpers.ts';

const objectInfo = readAllObjectInfo();

/** Hand-written fixtures modelled on exports that use popular custom node packs (see the fixtures README). */
const CASES: Record<string, { params: Expected; outputs: string[] }> = {
  'instantid-sdxl': {
    params: {
      prompt: '39.text',
      negative: '40.text',
      ...sampler('3'),
      ...latent('5'),
      checkpoint: '4.ckpt_name',
      image: '13.image',
    },
    outputs: ['15'],
  },
  'kj-mask-combine': {
    params: {
      prompt: '6.text 7.text',
      negative: '8.text 10.text',
      ...sampler('3'),
      ...latent('5'),
      checkpoint: '4.ckpt_name',
    },
    outputs: ['14'],
  },
  'face-detailer': {
    params: {
      prompt: '6.text',
      negative: '7.text',
      ...sampler('3'),
      seed: '3.seed 16.seed',
      denoise: '16.denoise',
      ...latent('5'),
      checkpoint: '4.ckpt_name',
    },
    outputs: ['9', '10'],
  },
  'ultimate-sd-upscale': {
    params: {
      prompt: '6.text',
      negative: '7.text',
      ...sampler('10'),
      checkpoint: '4.ckpt_name',
      image: '1.image',
    },
    outputs: ['11'],
  },
  'txt2img-ultimate-upscale': {
    params: {
      prompt: '6.text',
      negative: '7.text',
      ...sampler('3'),
      seed: '3.seed 13.seed',
      denoise: '13.denoise',
      ...latent('5'),
      checkpoint: '4.ckpt_name',
    },
    outputs: ['14'],
  },
  'efficient-loader': {
    params: {
      prompt: '1.positive',
      negative: '1.negative',
      ...sampler('2'),
      width: '1.empty_latent_width',
      height: '1.empty_latent_height',
      batch: '1.batch_size',
      checkpoint: '1.ckpt_name',
    },
    outputs: ['3'],
  },
  'efficient-hires': {
    params: {
      prompt: '1.positive',
      negative: '1.negative',
      ...sampler('2'),
      seed: '2.seed 6.seed',
      denoise: '6.denoise',
      width: '1.empty_latent_width',
      height: '1.empty_latent_height',
      batch: '1.batch_size',
      checkpoint: '1.ckpt_name',
    },
    outputs: ['7'],
  },
  'efficient-sdxl-tuple': {
    params: {
      prompt: '1.positive',
      negative: '1.negative',
      ...sampler('2', 'noise_seed'),
      denoise: '',
      width: '1.empty_latent_width',
      height: '1.empty_latent_height',
      batch: '1.batch_size',
      checkpoint: '1.base_ckpt_name',
    },
    outputs: ['3'],
  },
  'efficient-cr-seed': {
    params: {
      prompt: '1.positive',
      negative: '1.negative',
      ...sampler('2'),
      seed: '20.seed',
      width: '1.empty_latent_width',
      height: '1.empty_latent_height',
      batch: '1.batch_size',
      checkpoint: '1.ckpt_name',
    },
    outputs: ['3'],
  },
  'inspire-refiner': {
    params: {
      prompt: '6.text 15.text',
      negative: '7.text 16.text',
      ...sampler('10', 'noise_seed'),
      seed: '10.noise_seed 11.noise_seed',
      steps: '10.steps 11.steps',
      denoise: '',
      ...latent('5'),
      checkpoint: '4.ckpt_name',
    },
    outputs: ['19'],
  },
  'impact-basic-pipe': {
    params: {
      prompt: '6.text',
      negative: '7.text',
      ...sampler('21'),
      ...latent('5'),
      checkpoint: '4.ckpt_name',
    },
    outputs: ['9'],
  },
  'image-saver-metadata': {
    params: {
      prompt: '28.string',
      negative: '29.string',
      seed: '23.seed',
      steps: '27.int',
      cfg: '26.float',
      sampler: '21.sampler_name',
      scheduler: '22.scheduler',
      denoise: '3.denoise',
      width: '24.int',
      height: '25.int',
      batch: '5.batch_size',
      checkpoint: '20.ckpt_name',
    },
    outputs: ['30'],
  },
  'prompt-styler': {
    params: {
      prompt: '20.text_positive',
      negative: '20.text_negative',
      ...sampler('3'),
      ...latent('5'),
      checkpoint: '4.ckpt_name',
    },
    outputs: ['9'],
  },
  'rgthree-ksampler-config': {
    params: {
      prompt: '6.text 15.text',
      negative: '7.text 16.text',
      seed: '41.seed',
      steps: '40.steps_total',
      cfg: '40.cfg',
      sampler: '40.sampler_name',
      scheduler: '40.scheduler',
      ...latent('5'),
      checkpoint: '4.ckpt_name',
    },
    outputs: ['19'],
  },
  'dynamic-prompts': {
    params: {
      prompt: '20.text',
      negative: '7.text',
      ...sampler('3'),
      ...latent('5'),
      checkpoint: '4.ckpt_name',
    },
    outputs: ['9'],
  },
  'slider-size': {
    params: {
      prompt: '6.text',
      negative: '7.text',
      ...sampler('3'),
      batch: '5.batch_size',
      checkpoint: '4.ckpt_name',
    },
    outputs: ['9'],
  },
  'animatediff-vhs': {
    params: {
      prompt: '6.text',
      negative: '7.text',
      ...sampler('3'),
      ...latent('5'),
      checkpoint: '4.ckpt_name',
    },
    outputs: ['35'],
  },
};

describe('inspectWorkflow on custom-node workflows, with the packs in /object_info', () => {
  for (const [name, expected] of Object.entries(CASES)) {
    it(`GIVEN ${name}.json THEN every parameter lands on the exact node inputs`, () => {
      const report = inspectWorkflow(readFixtureGraph(name, objectInfo), objectInfo);
      assert.deepEqual(report.parameters, parametersOf(expected.params));
      assert.deepEqual(report.outputs, expected.outputs);
    });
  }
});
