import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainWorkflow, inspectWorkflow } from '../../../src/workflows/inspect.ts';
import { readFixture, refs } from './helpers.ts';

type Expected = Partial<Record<string, string>>;

const NAMES = ['prompt', 'negative', 'seed', 'steps', 'cfg', 'sampler', 'scheduler', 'denoise'] as const;
const ksampler = (id: string): Expected =>
  Object.fromEntries(
    NAMES.slice(2).map((n) => [n, `${id}.${{ seed: 'seed', sampler: 'sampler_name' }[n as string] ?? n}`]),
  );
const latent = (id: string): Expected => ({
  width: `${id}.width`,
  height: `${id}.height`,
  batch: `${id}.batch_size`,
});

const CASES: Record<string, { params: Expected; outputs: string[] }> = {
  'sd15-ksampler': {
    params: {
      prompt: '6.text',
      negative: '7.text',
      ...ksampler('3'),
      ...latent('5'),
      checkpoint: '4.ckpt_name',
    },
    outputs: ['9'],
  },
  'ksampler-advanced': {
    params: {
      prompt: '6.text',
      negative: '7.text',
      seed: '10.noise_seed',
      steps: '10.steps',
      cfg: '10.cfg',
      sampler: '10.sampler_name',
      scheduler: '10.scheduler',
      ...latent('5'),
      checkpoint: '4.ckpt_name',
    },
    outputs: ['9'],
  },
  'sampler-custom': {
    params: {
      prompt: '6.text',
      negative: '7.text',
      seed: '13.noise_seed',
      steps: '12.steps',
      cfg: '13.cfg',
      sampler: '11.sampler_name',
      scheduler: '12.scheduler',
      denoise: '12.denoise',
      ...latent('5'),
      checkpoint: '4.ckpt_name',
    },
    outputs: ['9'],
  },
  'sampler-custom-advanced': {
    params: {
      prompt: '6.text',
      negative: '7.text',
      seed: '20.noise_seed',
      steps: '23.steps',
      cfg: '21.cfg',
      sampler: '22.sampler_name',
      scheduler: '23.scheduler',
      denoise: '23.denoise',
      ...latent('5'),
      checkpoint: '4.ckpt_name',
    },
    outputs: ['9'],
  },
  'flux-dev': {
    params: {
      prompt: '6.text',
      seed: '25.noise_seed',
      steps: '17.steps',
      sampler: '16.sampler_name',
      scheduler: '17.scheduler',
      denoise: '17.denoise',
      ...latent('27'),
      checkpoint: '12.unet_name',
      guidance: '26.guidance',
    },
    outputs: ['9'],
  },
  'flux-zero-negative': {
    params: {
      prompt: '6.text',
      ...ksampler('31'),
      ...latent('27'),
      checkpoint: '30.ckpt_name',
      guidance: '35.guidance',
    },
    outputs: ['9'],
  },
  'sdxl-clip-text-encode-sdxl': {
    params: {
      prompt: '6.text_g 6.text_l',
      negative: '7.text_g 7.text_l',
      ...ksampler('3'),
      ...latent('5'),
      checkpoint: '4.ckpt_name',
    },
    outputs: ['9'],
  },
  'lora-chain': {
    params: {
      prompt: '6.text',
      negative: '7.text',
      ...ksampler('3'),
      ...latent('5'),
      checkpoint: '4.ckpt_name',
    },
    outputs: ['9'],
  },
  'conditioning-combine': {
    params: {
      prompt: '6.text 15.text',
      negative: '7.text',
      ...ksampler('3'),
      ...latent('5'),
      checkpoint: '4.ckpt_name',
    },
    outputs: ['19'],
  },
  'hires-fix': {
    params: {
      prompt: '6.text',
      negative: '7.text',
      ...ksampler('3'),
      seed: '3.seed 11.seed',
      denoise: '11.denoise',
      ...latent('5'),
      checkpoint: '4.ckpt_name',
    },
    outputs: ['9'],
  },
  'sdxl-refiner': {
    params: {
      prompt: '6.text 15.text',
      negative: '7.text 16.text',
      seed: '10.noise_seed 11.noise_seed',
      steps: '10.steps 11.steps',
      cfg: '10.cfg',
      sampler: '10.sampler_name',
      scheduler: '10.scheduler',
      ...latent('5'),
      checkpoint: '4.ckpt_name',
    },
    outputs: ['19'],
  },
  'multi-save': {
    params: {
      prompt: '6.text',
      negative: '7.text',
      ...ksampler('3'),
      ...latent('5'),
      checkpoint: '4.ckpt_name',
    },
    outputs: ['9', '10', '11'],
  },
  'primitive-prompt': {
    params: {
      prompt: '30.value',
      negative: '31.prompt',
      ...ksampler('3'),
      seed: '32.value',
      ...latent('5'),
      checkpoint: '4.ckpt_name',
    },
    outputs: ['9'],
  },
  img2img: {
    params: {
      prompt: '6.text',
      negative: '7.text',
      ...ksampler('3'),
      checkpoint: '4.ckpt_name',
      image: '10.image',
    },
    outputs: ['9'],
  },
  'odd-ids': {
    params: {
      prompt: '12.text',
      negative: 'b7.text',
      ...ksampler('99'),
      ...latent('a3'),
      checkpoint: '57.ckpt_name',
    },
    outputs: ['1000'],
  },
  controlnet: {
    params: {
      prompt: '6.text',
      negative: '7.text',
      ...ksampler('3'),
      ...latent('5'),
      checkpoint: '4.ckpt_name',
      image: '14.image',
    },
    outputs: ['9'],
  },
};

const ALL = [...NAMES, 'width', 'height', 'batch', 'checkpoint', 'image'];

describe('inspectWorkflow on exported workflows', () => {
  for (const [name, expected] of Object.entries(CASES)) {
    it(`GIVEN ${name}.json THEN every parameter lands on the exact node inputs`, () => {
      const report = inspectWorkflow(readFixture(name));
      const want: Record<string, ReturnType<typeof refs>> = {};
      for (const n of ALL) want[n] = refs(expected.params[n] ?? '');
      if (expected.params['guidance']) want['guidance'] = refs(expected.params['guidance']);
      assert.deepEqual(report.parameters, want);
      assert.deepEqual(report.outputs, expected.outputs);
    });
  }

  it('GIVEN a report THEN it serialises to exactly {parameters, outputs, passes, warnings} with every name listed', () => {
    const json = JSON.parse(JSON.stringify(inspectWorkflow(readFixture('img2img'))));
    assert.deepEqual(Object.keys(json), ['parameters', 'outputs', 'passes', 'warnings']);
    assert.deepEqual(Object.keys(json.parameters), ALL);
    assert.deepEqual(json.parameters.width, []);
  });

  it('GIVEN a ConditioningCombine chain THEN the explanation lists every link walked', () => {
    const explained = explainWorkflow(readFixture('conditioning-combine'));
    assert.deepEqual(explained['prompt'], [
      'KSampler#3.positive → ConditioningCombine#9.conditioning_1 → CLIPTextEncode#6.text',
      'KSampler#3.positive → ConditioningCombine#9.conditioning_2 → ConditioningSetArea#16.conditioning → CLIPTextEncode#15.text',
    ]);
  });

  it('GIVEN a Flux SamplerCustomAdvanced THEN the prompt path goes through the guider and FluxGuidance', () => {
    const explained = explainWorkflow(readFixture('flux-dev'));
    assert.deepEqual(explained['prompt'], [
      'SamplerCustomAdvanced#13.guider → BasicGuider#22.conditioning → FluxGuidance#26.conditioning → CLIPTextEncode#6.text',
    ]);
    assert.deepEqual(explained['seed'], ['SamplerCustomAdvanced#13.noise → RandomNoise#25.noise_seed']);
    assert.deepEqual(explained['checkpoint'], [
      'SamplerCustomAdvanced#13.guider → BasicGuider#22.model → ModelSamplingFlux#30.model → UNETLoader#12.unet_name',
    ]);
  });

  it('GIVEN a prompt from a primitive node THEN the location is the primitive widget, reached through the link', () => {
    const explained = explainWorkflow(readFixture('primitive-prompt'));
    assert.deepEqual(explained['prompt'], [
      'KSampler#3.positive → CLIPTextEncode#6.text → PrimitiveStringMultiline#30.value',
    ]);
    assert.deepEqual(explained['seed'], ['KSampler#3.seed → PrimitiveInt#32.value']);
  });

  it('GIVEN a hires fix with LatentUpscale THEN a warning says its own size is not bound', () => {
    const report = inspectWorkflow(readFixture('hires-fix'));
    assert.deepEqual(report.warnings, [
      'KSampler#11.latent_image → LatentUpscale#10 sets its own width/height; not bound',
    ]);
  });

  it('GIVEN a graph without sampler or output THEN the warnings say so and prompt is []', () => {
    const report = inspectWorkflow({ '1': { class_type: 'LoadImage', inputs: { image: 'a.png' } } });
    assert.deepEqual(report.parameters['prompt'], []);
    assert.deepEqual(report.parameters['image'], [{ node: '1', input: 'image' }]);
    assert.ok(report.warnings.some((w) => w.startsWith('no sampler found')));
    assert.ok(report.warnings.some((w) => w.startsWith('no output node')));
  });

  it('GIVEN a text input linked to an unknown node THEN it is not bound and a warning names the node', () => {
    const graph = readFixture('sd15-ksampler');
    graph['50'] = {
      class_type: 'StringConcatenate',
      inputs: { string_a: 'a', string_b: 'b', delimiter: '' },
    };
    graph['6']!.inputs['text'] = ['50', 0];
    const report = inspectWorkflow(graph);
    assert.deepEqual(report.parameters['prompt'], []);
    assert.ok(report.warnings.some((w) => w.includes('StringConcatenate#50')));
  });

  it('GIVEN an object_info marking a custom node as output THEN it is an output', () => {
    const graph = readFixture('sd15-ksampler');
    graph['77'] = { class_type: 'MyUploader', inputs: { images: ['8', 0] } };
    const report = inspectWorkflow(graph, { MyUploader: { output_node: true } });
    assert.deepEqual(report.outputs, ['9', '77']);
  });
});
