import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainWorkflow, inspectWorkflow } from '../../../src/workflows/inspect.ts';
import { latent, parametersOf, sampler } from './expected.ts';
import { readAllObjectInfo, readFixtureGraph, readObjectInfo } from './helpers.ts';

const all = readAllObjectInfo();
const stock = readObjectInfo();

describe('conditioning pass-through nodes', () => {
  it('GIVEN ApplyInstantID (outputs MODEL, positive, negative) and /object_info THEN outputs 1 and 2 map to its positive and negative inputs', () => {
    const graph = readFixtureGraph('instantid-sdxl');
    const explained = explainWorkflow(graph, all);
    assert.deepEqual(explained['prompt'], [
      'KSampler#3.positive → ApplyInstantID#60.positive → CLIPTextEncode#39.text',
    ]);
    assert.deepEqual(explained['negative'], [
      'KSampler#3.negative → ApplyInstantID#60.negative → CLIPTextEncode#40.text',
    ]);
    assert.deepEqual(explained['checkpoint'], [
      'KSampler#3.model → ApplyInstantID#60.model → CheckpointLoaderSimple#4.ckpt_name',
    ]);
    assert.deepEqual(inspectWorkflow(graph, all).warnings, []);
  });

  it('GIVEN ApplyInstantID without /object_info THEN no prompt is bound and each warning says why', () => {
    const report = inspectWorkflow(readFixtureGraph('instantid-sdxl'));
    assert.deepEqual(report.parameters['prompt'], []);
    assert.deepEqual(report.parameters['negative'], []);
    assert.deepEqual(report.warnings, [
      'KSampler#3.positive comes from ApplyInstantID#60, but its output 1 was taken to carry its negative input (outputs 0/1 assumed positive/negative: no /object_info was given); the prompt is not bound along this path',
      'KSampler#3.negative comes from ApplyInstantID#60, but its output 2 cannot be matched to its positive/negative inputs (no /object_info was given); the negative prompt is not bound along this path',
      'no prompt found on any sampler',
    ]);
  });

  it('GIVEN a ControlNet node wired crosswise (its negative output into the positive input) THEN binding is refused on both sides', () => {
    const report = inspectWorkflow(readFixtureGraph('controlnet-crossed'), stock);
    assert.deepEqual(
      report.parameters,
      parametersOf({ ...sampler('3'), ...latent('5'), checkpoint: '4.ckpt_name', image: '14.image' }),
    );
    assert.deepEqual(report.warnings, [
      'KSampler#3.positive comes from ControlNetApplyAdvanced#15, but its output 1 "negative" carries the negative side; the prompt is not bound along this path',
      'KSampler#3.negative comes from ControlNetApplyAdvanced#15, but its output 0 "positive" carries the positive side; the negative prompt is not bound along this path',
      'no prompt found on any sampler',
    ]);
  });

  it('GIVEN the crossed ControlNet graph without /object_info THEN the stock output order still exposes the crossing', () => {
    const report = inspectWorkflow(readFixtureGraph('controlnet-crossed'));
    assert.deepEqual(report.parameters['prompt'], []);
    assert.deepEqual(report.parameters['negative'], []);
    assert.match(report.warnings[0]!, /output 1 was taken to carry its negative input/);
  });

  it('GIVEN InpaintModelConditioning (outputs positive, negative, latent) THEN its latent output leads to the loaded image', () => {
    for (const info of [stock, undefined]) {
      const report = inspectWorkflow(readFixtureGraph('inpaint-model-conditioning'), info);
      assert.deepEqual(
        report.parameters,
        parametersOf({
          prompt: '6.text',
          negative: '7.text',
          ...sampler('3'),
          checkpoint: '29.ckpt_name',
          image: '20.image',
        }),
      );
      assert.deepEqual(report.warnings, []);
    }
  });

  it('GIVEN sided inputs (positive_1, negative_2…) without /object_info THEN each side still reaches its own encoders', () => {
    const offline = inspectWorkflow(readFixtureGraph('kj-mask-combine'));
    assert.deepEqual(offline.parameters['prompt'], [
      { node: '6', input: 'text' },
      { node: '7', input: 'text' },
    ]);
    assert.deepEqual(offline.parameters['negative'], [
      { node: '8', input: 'text' },
      { node: '10', input: 'text' },
    ]);
  });

  it('GIVEN stock audio and video graphs THEN prompt, seed, size and outputs are found', () => {
    const audio = inspectWorkflow(readFixtureGraph('stable-audio'), stock);
    assert.deepEqual(
      audio.parameters,
      parametersOf({
        prompt: '6.text',
        negative: '7.text',
        ...sampler('3'),
        batch: '11.batch_size',
        checkpoint: '4.ckpt_name',
      }),
    );
    assert.deepEqual(audio.outputs, ['19']);
    const video = inspectWorkflow(readFixtureGraph('wan-t2v'), stock);
    assert.deepEqual(
      video.parameters,
      parametersOf({
        prompt: '6.text',
        negative: '7.text',
        ...sampler('3'),
        ...latent('40'),
        checkpoint: '37.unet_name',
      }),
    );
    assert.deepEqual(video.outputs, ['50']);
  });
});
