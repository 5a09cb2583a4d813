import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeFlags } from '../../../../../src/core/prompt/grammar/index.ts';
import { flux, sdxl, sdxlImg2img } from './fixtures.ts';

describe('describeFlags', () => {
  it('GIVEN an sdxl template THEN lists standard flags with ranges, then its own parameters', () => {
    const flags = describeFlags(sdxl.params, 'en', { templates: ['sdxl-txt2img', 'flux-schnell'] });
    const byFlag = new Map(flags.map((f) => [f.flag, f]));
    assert.deepEqual(byFlag.get('--ar')?.aliases, ['--aspect']);
    assert.ok(byFlag.get('--ar')?.examples?.includes('16:9'));
    assert.deepEqual([byFlag.get('--steps')?.min, byFlag.get('--steps')?.max], [1, 100]);
    assert.deepEqual([byFlag.get('--n')?.min, byFlag.get('--n')?.max], [1, 4]);
    assert.equal(byFlag.get('--seed')?.min, -1);
    assert.deepEqual(byFlag.get('--n')?.aliases, ['--batch']);
    assert.ok(byFlag.get('--model')?.choices?.includes('flux-schnell'));
    assert.ok(byFlag.get('--model')?.choices?.includes('juggernautXL.safetensors'));
    assert.equal(byFlag.get('--hires')?.kind, 'boolean');
    assert.equal(byFlag.has('--denoise'), false);
    assert.equal(byFlag.has('--vae'), false, 'not user-settable');
    assert.equal(byFlag.has('--prompt'), false, 'the prompt is the text, not a flag');
    for (const f of flags) assert.ok(f.description.length > 0, f.flag);
  });

  it('GIVEN zh THEN descriptions come from the Chinese catalogue and the param spec', () => {
    const flags = describeFlags(sdxl.params, 'zh');
    assert.equal(flags.find((f) => f.flag === '--ar')?.description.includes('宽高比'), true);
    assert.equal(flags.find((f) => f.flag === '--hires')?.description, '高清修复');
    assert.equal(
      flags.some((f) => f.flag === '--workflow'),
      false,
      'no templates given',
    );
  });

  it('GIVEN img2img and flux THEN only flags those templates accept appear', () => {
    const img = describeFlags(sdxlImg2img.params, 'en').map((f) => f.flag);
    assert.ok(img.includes('--denoise'));
    assert.ok(img.includes('--image'));
    const fx = describeFlags(flux.params, 'en').map((f) => f.flag);
    assert.deepEqual(fx, ['--ar', '--size', '--seed', '--n', '--width', '--height']);
  });
});
