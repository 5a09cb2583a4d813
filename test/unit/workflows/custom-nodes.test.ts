import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainWorkflow, inspectWorkflow } from '../../../src/workflows/inspect.ts';
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

  it('GIVEN a value from a slider whose widgets are not named like the input THEN it is not bound and the warning names the slider', () => {
    const report = inspectWorkflow(readFixtureGraph('slider-size'), objectInfo);
    assert.deepEqual(report.warnings, [
      'KSampler#3.latent_image → EmptyLatentImage#5.width is linked to mxSlider2D#40, which has several number widgets (Xi, Xf, Yi, Yf, isfloatX, isfloatY) and none is named like "width" or its output "x"; not bound',
      'KSampler#3.latent_image → EmptyLatentImage#5.height is linked to mxSlider2D#40, which has several number widgets (Xi, Xf, Yi, Yf, isfloatX, isfloatY) and none is named like "height" or its output "y"; not bound',
    ]);
  });

  it('GIVEN a prompt styler without /object_info THEN nothing is bound and each warning names the styler and the cause', () => {
    const report = inspectWorkflow(readFixtureGraph('prompt-styler'));
    assert.deepEqual(report.parameters['prompt'], []);
    assert.deepEqual(report.parameters['negative'], []);
    assert.equal(
      report.warnings[0],
      'KSampler#3.positive → CLIPTextEncodeSDXL#6.text_g is linked to SDXLPromptStyler#20, which has several string widgets (text_positive, text_negative, style) and none is named like "text_g" (no /object_info was given); not bound',
    );
    assert.equal(report.warnings.length, 5);
    assert.equal(report.warnings.at(-1), 'no prompt found on any sampler');
  });

  it('GIVEN pipe and tuple samplers and all-in-one loaders THEN they also bind without /object_info', () => {
    for (const name of [
      'impact-basic-pipe',
      'efficient-loader',
      'efficient-sdxl-tuple',
      'image-saver-metadata',
    ]) {
      const offline = inspectWorkflow(readFixtureGraph(name));
      const online = inspectWorkflow(readFixtureGraph(name), objectInfo);
      assert.deepEqual(offline.parameters, online.parameters, name);
      assert.deepEqual(offline.warnings, [], name);
    }
  });

  it('GIVEN a pipe and an all-in-one loader THEN the explanation shows the links walked to the widget', () => {
    const pipe = explainWorkflow(readFixtureGraph('impact-basic-pipe'), objectInfo);
    assert.deepEqual(pipe['prompt'], [
      'ImpactKSamplerBasicPipe#21.basic_pipe → ToBasicPipe#20.positive → CLIPTextEncode#6.text',
    ]);
    assert.deepEqual(pipe['checkpoint'], [
      'ImpactKSamplerBasicPipe#21.basic_pipe → ToBasicPipe#20.model → CheckpointLoaderSimple#4.ckpt_name',
    ]);
    const loader = explainWorkflow(readFixtureGraph('efficient-loader'), objectInfo);
    assert.deepEqual(loader['negative'], ['KSampler (Efficient)#2.negative → Efficient Loader#1.negative']);
    assert.deepEqual(loader['width'], [
      'KSampler (Efficient)#2.latent_image → Efficient Loader#1.empty_latent_width',
    ]);
    const config = explainWorkflow(readFixtureGraph('rgthree-ksampler-config'), objectInfo);
    // Both passes read the same widget: one binding, explained by the first link found.
    assert.deepEqual(config['steps'], [
      'KSamplerAdvanced#10.steps → KSampler Config (rgthree)#40.steps_total',
    ]);
  });
});
