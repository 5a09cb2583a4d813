import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspectWorkflow } from '../../../src/workflows/inspect.ts';
import { type Expected, latent, parametersOf, sampler } from './expected.ts';
import { readFixtureGraph } from './helpers.ts';

/** Stock-node graphs in the forms operators have them: multi-pass, many savers, wrapped, UI format. */
const CASES: Record<string, { params: Expected; outputs: string[] }> = {
  'sdxl-refiner-hires': {
    params: {
      prompt: '6.text 15.text',
      negative: '7.text 16.text',
      seed: '10.noise_seed 11.noise_seed 21.seed',
      steps: '10.steps 11.steps',
      cfg: '10.cfg',
      sampler: '10.sampler_name',
      scheduler: '10.scheduler',
      denoise: '21.denoise',
      ...latent('5'),
      checkpoint: '4.ckpt_name',
    },
    outputs: ['19'],
  },
  'output-savers': {
    params: {
      prompt: '6.text',
      negative: '7.text',
      ...sampler('3'),
      ...latent('5'),
      checkpoint: '4.ckpt_name',
    },
    outputs: ['9', '10', '11', '14', '15', '16'],
  },
  'wrapped-prompt': {
    params: {
      prompt: '6.text',
      negative: '7.text',
      ...sampler('3'),
      ...latent('5'),
      checkpoint: '4.ckpt_name',
    },
    outputs: ['9'],
  },
  'stray-keys': {
    params: {
      prompt: '6.text',
      negative: '7.text',
      ...sampler('3'),
      ...latent('5'),
      checkpoint: '4.ckpt_name',
    },
    outputs: ['9'],
  },
  'sd15-primitive-reroute': {
    params: {
      prompt: '6.text',
      negative: '7.text',
      ...sampler('3'),
      ...latent('5'),
      checkpoint: '4.ckpt_name',
    },
    outputs: ['9'],
  },
  'img2img-bypass': {
    params: {
      prompt: '6.text',
      negative: '7.text',
      ...sampler('3'),
      checkpoint: '4.ckpt_name',
      image: '10.image',
    },
    outputs: ['9'],
  },
  subgraph: {
    params: {
      prompt: '6.text',
      negative: '7.text',
      ...sampler('10:1'),
      ...latent('5'),
      checkpoint: '4.ckpt_name',
    },
    outputs: ['9'],
  },
};

describe('inspectWorkflow on stock graphs as read from their files (no /object_info)', () => {
  for (const [name, expected] of Object.entries(CASES)) {
    it(`GIVEN ${name} THEN every parameter lands on the exact node inputs`, () => {
      const report = inspectWorkflow(readFixtureGraph(name));
      assert.deepEqual(report.parameters, parametersOf(expected.params));
      assert.deepEqual(report.outputs, expected.outputs);
    });
  }
});
