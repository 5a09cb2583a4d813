import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspectWorkflow } from '../../../src/workflows/inspect.ts';
import { readAllObjectInfo, readFixtureGraph, readObjectInfo } from './helpers.ts';

const all = readAllObjectInfo();
const stock = readObjectInfo();

describe('output nodes', () => {
  it('GIVEN image, animation, comparer and custom savers THEN each is an output; the WebSocket sender and SaveLatent are not', () => {
    // 12 SaveImageWebsocket writes no file; 13 SaveLatent saves a latent, not media; 16 is a custom saver
    // that no catalogue knows, recognised because it takes images and nothing uses its output.
    const expected = ['9', '10', '11', '14', '15', '16'];
    assert.deepEqual(inspectWorkflow(readFixtureGraph('output-savers'), all).outputs, expected);
    assert.deepEqual(inspectWorkflow(readFixtureGraph('output-savers'), stock).outputs, expected);
    assert.deepEqual(inspectWorkflow(readFixtureGraph('output-savers')).outputs, expected);
  });

  it('GIVEN /object_info marks model savers and text previews as output nodes THEN they are not outputs', () => {
    const graph = readFixtureGraph('sd15-ksampler');
    graph['20'] = {
      class_type: 'CheckpointSave',
      inputs: { filename_prefix: 'checkpoints/ComfyUI', model: ['4', 0], clip: ['4', 1], vae: ['4', 2] },
    };
    graph['21'] = { class_type: 'PreviewAny', inputs: { source: ['6', 0] } };
    assert.deepEqual(inspectWorkflow(graph, stock).outputs, ['9']);
  });

  it('GIVEN an output node class /object_info knows (VHS, metadata saver, SaveVideo, SaveAudio) THEN it is found', () => {
    assert.deepEqual(inspectWorkflow(readFixtureGraph('animatediff-vhs'), all).outputs, ['35']);
    assert.deepEqual(inspectWorkflow(readFixtureGraph('image-saver-metadata'), all).outputs, ['30']);
    assert.deepEqual(inspectWorkflow(readFixtureGraph('wan-t2v'), stock).outputs, ['50']);
    assert.deepEqual(inspectWorkflow(readFixtureGraph('stable-audio'), stock).outputs, ['19']);
  });

  it('GIVEN KSampler (Efficient), an output node that takes no image THEN only the SaveImage after it is an output', () => {
    assert.deepEqual(inspectWorkflow(readFixtureGraph('efficient-loader'), all).outputs, ['3']);
  });

  it('GIVEN an unknown node that takes images but feeds another node THEN it is not an output', () => {
    const graph = readFixtureGraph('sd15-ksampler');
    graph['30'] = { class_type: 'ImageSharpen', inputs: { image: ['8', 0], sharpen_radius: 1 } };
    graph['9']!.inputs['images'] = ['30', 0];
    graph['31'] = {
      class_type: 'MyImageUploader',
      inputs: { images: ['30', 0], url: 'https://example.com' },
    };
    assert.deepEqual(inspectWorkflow(graph).outputs, ['9', '31']);
  });
});
