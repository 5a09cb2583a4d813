import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forPerson } from '../../../../src/core/chat/person-errors.ts';
import { t } from '../../../../src/core/i18n/catalogs.ts';
import '../../../../src/workflows/messages.ts';

const missingNode = {
  code: 'workflows.check.unknown_node',
  params: { node: '2', class: 'UpscaleModelLoader' },
};
const missingCheckpoint = {
  code: 'workflows.check.bad_choice',
  params: {
    node: '4',
    class: 'CheckpointLoaderSimple',
    input: 'ckpt_name',
    value: 'sdxl.safetensors',
    choices: 'v1-5.safetensors',
  },
};

describe('errors for people, details for operators', () => {
  it('GIVEN an upscale button on a server without the node THEN the person reads "can’t do upscales" in their language', () => {
    const split = forPerson(missingNode, { derive: 'upscale' });
    assert.deepEqual(split.person, { code: 'chat.cannot.upscale' });
    assert.equal(split.operator, missingNode);
    assert.equal(t('en', split.person.code), 'This server can’t do upscales right now.');
    assert.equal(t('zh', split.person.code), '此服务器目前无法放大图片。');
  });

  it('GIVEN a missing checkpoint THEN the person is pointed at an installed model, never at file names of the server', () => {
    const split = forPerson(missingCheckpoint, {
      template: 'sdxl-txt2img',
      models: ['juggernaut', 'dreamshaper'],
    });
    const text = t('en', split.person.code, split.person.params);
    assert.match(text, /That model isn’t available here\. Try --model juggernaut \/ dreamshaper\./);
    assert.doesNotMatch(text, /CheckpointLoaderSimple|sdxl\.safetensors|Node/);
  });

  it('GIVEN no model to suggest THEN the person is told the workflow cannot run here now', () => {
    const split = forPerson(missingCheckpoint, { template: 'sdxl-txt2img' });
    assert.deepEqual(split.person, { code: 'chat.cannot.template', params: { template: 'sdxl-txt2img' } });
  });

  it('GIVEN what ComfyUI said about a refused workflow THEN the person reads a short message', () => {
    const split = forPerson({
      code: 'jobs.rejectedByComfy',
      params: { details: 'prompt_outputs_failed_validation' },
    });
    assert.equal(split.person.code, 'chat.failed.server');
    assert.ok(split.operator);
  });

  it('GIVEN a message made for people (quota, grammar) THEN it passes unchanged, with nothing for the operator', () => {
    const quota = { code: 'quota.refused.waiting', params: { limit: 1 } };
    assert.deepEqual(forPerson(quota), { person: quota });
  });
});
