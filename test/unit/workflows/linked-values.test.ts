import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainWorkflow, inspectWorkflow } from '../../../src/workflows/inspect.ts';
import { readAllObjectInfo, readFixtureGraph } from './helpers.ts';

const objectInfo = readAllObjectInfo();

describe('values linked from other nodes, pipes and all-in-one loaders', () => {
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

  it('GIVEN a metadata saver with seed, steps and cfg inputs and a text `positive` THEN it is an output, not a pass', () => {
    const graph = readFixtureGraph('image-saver-metadata');
    graph['31'] = {
      class_type: 'SDPromptSaver',
      inputs: { image: ['8', 0], positive: ['28', 0], seed: ['23', 0], steps: ['27', 0], cfg: ['26', 0] },
    };
    const info = {
      ...objectInfo,
      SDPromptSaver: {
        input: {
          required: {
            image: ['IMAGE'],
            positive: ['STRING', { forceInput: true }],
            seed: ['INT', { forceInput: true }],
            steps: ['INT', { forceInput: true }],
            cfg: ['FLOAT', { forceInput: true }],
          },
        },
        output: [],
        output_name: [],
        output_node: true,
      },
    };
    const report = inspectWorkflow(graph, info);
    assert.deepEqual(
      report.passes.map((p) => p.node),
      ['3'],
    );
    assert.deepEqual(report.outputs, ['30', '31']);
    assert.deepEqual(report.warnings, []);
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
