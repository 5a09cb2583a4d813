import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bindWorkflow } from '../../../src/workflows/bind.ts';
import { inspectWorkflow } from '../../../src/workflows/inspect.ts';
import { buildTemplate } from '../../../src/workflows/template.ts';
import { readAllObjectInfo, readFixtureGraph } from './helpers.ts';

const objectInfo = readAllObjectInfo();
const passesOf = (name: string) => inspectWorkflow(readFixtureGraph(name), objectInfo).passes;

describe('multi-pass policy', () => {
  it('GIVEN base + refiner + hires fix THEN inspect lists each pass, what it follows and the settings it keeps', () => {
    assert.deepEqual(passesOf('sdxl-refiner-hires'), [
      { node: '10', class_type: 'KSamplerAdvanced', keeps: [] },
      {
        node: '11',
        class_type: 'KSamplerAdvanced',
        after: '10',
        continues: '10',
        keeps: ['cfg', 'sampler', 'scheduler'],
      },
      { node: '21', class_type: 'KSampler', after: '11', keeps: ['steps', 'cfg', 'sampler', 'scheduler'] },
    ]);
  });

  it('GIVEN base + refiner + hires fix THEN steps reach the leftover-noise chain, denoise the hires pass, seed all three', () => {
    const graph = readFixtureGraph('sdxl-refiner-hires');
    const built = buildTemplate({ name: 'r', file: 'r.json', graph });
    assert.ok(built.ok);
    const values = { seed: 7, steps: 40, cfg: 5, denoise: 0.5, sampler: 'heun' };
    const bound = bindWorkflow(built.value, values, { jobId: 'j' });
    assert.ok(bound.ok);
    const wf = bound.value.workflow;
    const at = (id: string, input: string) => wf[id]?.inputs[input];
    assert.deepEqual([at('10', 'noise_seed'), at('11', 'noise_seed'), at('21', 'seed')], [7, 7, 7]);
    assert.deepEqual([at('10', 'steps'), at('11', 'steps'), at('21', 'steps')], [40, 40, 15]);
    assert.deepEqual([at('10', 'cfg'), at('11', 'cfg'), at('21', 'cfg')], [5, 8, 7]);
    assert.deepEqual([at('10', 'sampler_name'), at('11', 'sampler_name')], ['heun', 'euler']);
    assert.equal(at('21', 'denoise'), 0.5);
    assert.deepEqual([at('10', 'end_at_step'), at('11', 'start_at_step')], [20, 20]);
  });

  it('GIVEN detailer and tiled-upscale passes THEN they follow the base pass through its decoded image', () => {
    assert.deepEqual(passesOf('face-detailer'), [
      { node: '3', class_type: 'KSampler', keeps: ['denoise'] },
      { node: '16', class_type: 'FaceDetailer', after: '3', keeps: ['steps', 'cfg', 'sampler', 'scheduler'] },
    ]);
    assert.deepEqual(passesOf('txt2img-ultimate-upscale'), [
      { node: '3', class_type: 'KSampler', keeps: ['denoise'] },
      {
        node: '13',
        class_type: 'UltimateSDUpscale',
        after: '3',
        keeps: ['steps', 'cfg', 'sampler', 'scheduler'],
      },
    ]);
  });

  it('GIVEN a tiled upscaler that starts from a loaded image THEN it is the first pass and keeps nothing', () => {
    assert.deepEqual(passesOf('ultimate-sd-upscale'), [
      { node: '10', class_type: 'UltimateSDUpscale', keeps: [] },
    ]);
  });

  it('GIVEN an Inspire refiner with BOOLEAN leftover-noise widgets THEN it continues the base pass', () => {
    assert.deepEqual(passesOf('inspire-refiner'), [
      { node: '10', class_type: 'KSamplerAdvanced //Inspire', keeps: [] },
      {
        node: '11',
        class_type: 'KSamplerAdvanced //Inspire',
        after: '10',
        continues: '10',
        keeps: ['cfg', 'sampler', 'scheduler'],
      },
    ]);
  });

  it('GIVEN both passes read one config node THEN nothing is listed as kept', () => {
    assert.deepEqual(passesOf('rgthree-ksampler-config'), [
      { node: '10', class_type: 'KSamplerAdvanced', keeps: [] },
      { node: '11', class_type: 'KSamplerAdvanced', after: '10', continues: '10', keeps: [] },
    ]);
  });

  it('GIVEN an Efficiency hires fix chained through the sampler outputs THEN the second pass follows the first', () => {
    assert.deepEqual(passesOf('efficient-hires'), [
      { node: '2', class_type: 'KSampler (Efficient)', keeps: ['denoise'] },
      {
        node: '6',
        class_type: 'KSampler (Efficient)',
        after: '2',
        keeps: ['steps', 'cfg', 'sampler', 'scheduler'],
      },
    ]);
  });

  it('GIVEN img2img THEN its single pass starts from an image and gets the denoise', () => {
    const report = inspectWorkflow(readFixtureGraph('img2img'));
    assert.deepEqual(report.passes, [{ node: '3', class_type: 'KSampler', keeps: [] }]);
    assert.deepEqual(report.parameters['denoise'], [{ node: '3', input: 'denoise' }]);
  });
});
