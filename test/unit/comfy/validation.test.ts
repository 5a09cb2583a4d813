import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ComfyValidationError } from '../../../src/comfy/errors.ts';
import { toValidationError } from '../../../src/comfy/validation.ts';
import { readTrace } from '../../helpers/fixtures.ts';

const trace = readTrace('validation_errors.json');
const rejected = trace.events
  .map((e, i) => ({
    e,
    req: trace.events
      .slice(0, i)
      .reverse()
      .find((r) => r.kind === 'http_request'),
  }))
  .filter(({ e }) => e.kind === 'http_response' && e.status === 400)
  .map(({ e, req }) => ({
    body: e.body,
    prompt: ((req?.json as { prompt?: unknown })?.prompt ?? {}) as never,
  }));

describe('toValidationError over the recorded 400 bodies', () => {
  it('GIVEN every recorded rejection THEN each becomes a ComfyValidationError with a readable message', () => {
    assert.ok(rejected.length >= 10, `expected many recorded rejections, got ${rejected.length}`);
    for (const { body, prompt } of rejected) {
      const error = toValidationError(
        body,
        typeof prompt === 'object' && !Array.isArray(prompt) ? prompt : {},
      );
      assert.ok(error instanceof ComfyValidationError);
      assert.ok(error.issues.length >= 1);
      assert.doesNotMatch(error.message, /undefined|\[object Object\]/);
    }
  });

  it('GIVEN a checkpoint that is not installed THEN the message names node, input and the installed ones', () => {
    const { body, prompt } = rejected.find(({ body }) => JSON.stringify(body).includes('nope.safetensors'))!;
    const error = toValidationError(body, prompt);
    const issue = error.issues.find((i) => i.input === 'ckpt_name')!;
    assert.equal(issue.classType, 'CheckpointLoaderSimple');
    assert.equal(issue.nodeId, '4');
    assert.deepEqual(issue.allowed, ['tiny-random.safetensors']);
    assert.match(
      error.message,
      /ckpt_name.*"nope\.safetensors" is not one of the allowed values.*Installed: tiny-random/,
    );
  });

  it('GIVEN an unknown class_type THEN the missing custom node class is named', () => {
    const { body, prompt } = rejected.find(({ body }) =>
      JSON.stringify(body).includes('KSamplerDoesNotExist'),
    )!;
    const error = toValidationError(body, prompt);
    assert.equal(error.issues[0]?.missingClass, 'KSamplerDoesNotExist');
    assert.equal(error.issues[0]?.nodeId, '3');
    assert.match(error.message, /custom node that provides it is not installed/);
  });

  it('GIVEN a newest-server missing_node_type body THEN the class and title come from extra_info', () => {
    const error = toValidationError(
      {
        error: {
          type: 'missing_node_type',
          message: "Node 'Fancy' not found. The custom node may not be installed.",
          details: '',
          extra_info: { node_id: '12', class_type: 'FancySampler', node_title: 'Fancy' },
        },
        node_errors: {},
      },
      { '12': { class_type: 'FancySampler', _meta: { title: 'Fancy' } } },
    );
    assert.equal(error.issues[0]?.missingClass, 'FancySampler');
    assert.equal(error.issues[0]?.nodeTitle, 'Fancy');
  });

  it('GIVEN a combo list longer than 20 (input_config null) THEN installed choices come from object_info', () => {
    const { body, prompt } = rejected.find(({ body }) => JSON.stringify(body).includes('eulerx'))!;
    const info = { KSampler: { input: { required: { sampler_name: [['euler', 'heun'], {}] } } } };
    const error = toValidationError(body, prompt, info);
    assert.deepEqual(error.issues[0]?.allowed, ['euler', 'heun']);
  });

  it('GIVEN a link to a missing node THEN the reason says which node is missing', () => {
    const { body, prompt } = rejected.find(({ body }) => JSON.stringify(body).includes('KeyError'))!;
    assert.match(toValidationError(body, prompt).message, /links to node 99, which is not in the workflow/);
  });

  it('GIVEN a node with a title THEN the message uses the title', () => {
    const { body } = rejected.find(({ body }) => JSON.stringify(body).includes('smaller than min'))!;
    const error = toValidationError(body, {
      '3': { class_type: 'KSampler', _meta: { title: 'Main sampler' } },
    });
    assert.match(
      error.message,
      /"Main sampler" \(KSampler #3\), input "steps": Value 0 smaller than min of 1/,
    );
  });
});
