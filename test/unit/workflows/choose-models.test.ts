import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bindWorkflow } from '../../../src/workflows/bind.ts';
import { checkWorkflow } from '../../../src/workflows/check.ts';
import { chooseSlotFiles, withSlotFiles } from '../../../src/workflows/choose-models.ts';
import type { ModelMapping } from '../../../src/workflows/model-mapping.ts';
import { catalogWith, shipped } from './installed.ts';

const sd15 = shipped('sd15-txt2img');
const flux = shipped('flux-schnell-txt2img');
const OTHER_SD15 = catalogWith({
  checkpoints: ['dreamshaper_8.safetensors', 'realisticVision_v51.safetensors'],
});
const families: ModelMapping = {
  families: {
    sd15: ['realisticVision*', 'dreamshaper_8.safetensors'],
    sdxl: ['juggernautXL_v9.safetensors'],
  },
};

describe('which installed file each slot uses', () => {
  it('GIVEN the default installed THEN it is kept, with nothing substituted', () => {
    const installed = catalogWith({
      checkpoints: ['v1-5-pruned-emaonly.safetensors', 'dreamshaper_8.safetensors'],
    });
    assert.deepEqual(chooseSlotFiles(sd15, [installed], families), {
      files: { checkpoint: 'v1-5-pruned-emaonly.safetensors' },
      substitutions: [],
    });
  });

  it('GIVEN the default missing and its family mapped THEN the first installed file of the family, reported as a substitution', () => {
    assert.deepEqual(chooseSlotFiles(sd15, [OTHER_SD15], families), {
      files: { checkpoint: 'realisticVision_v51.safetensors' },
      substitutions: [
        {
          template: 'sd15-txt2img',
          slot: 'checkpoint',
          missing: 'v1-5-pruned-emaonly.safetensors',
          using: 'realisticVision_v51.safetensors',
        },
      ],
    });
  });

  it('GIVEN no family mapping THEN nothing is guessed: the missing file stays for routing to report', () => {
    assert.deepEqual(chooseSlotFiles(sd15, [OTHER_SD15], {}).files, {
      checkpoint: 'v1-5-pruned-emaonly.safetensors',
    });
  });

  it('GIVEN the operator’s default for the template THEN it is used; when it is missing the workflow’s is next', () => {
    const mapping: ModelMapping = {
      defaults: { 'sd15-txt2img': { checkpoint: 'dreamshaper_8.safetensors' } },
    };
    assert.deepEqual(chooseSlotFiles(sd15, [OTHER_SD15], mapping), {
      files: { checkpoint: 'dreamshaper_8.safetensors' },
      substitutions: [],
    });
    const withDefault = catalogWith({ checkpoints: ['v1-5-pruned-emaonly.safetensors'] });
    const gone = { defaults: { 'sd15-txt2img': { checkpoint: 'gone.safetensors' } } };
    assert.deepEqual(chooseSlotFiles(sd15, [withDefault], gone).substitutions[0], {
      template: 'sd15-txt2img',
      slot: 'checkpoint',
      missing: 'gone.safetensors',
      using: 'v1-5-pruned-emaonly.safetensors',
    });
  });

  it('GIVEN no backend catalogue yet THEN every slot is as asked (the operator’s default applied)', () => {
    const mapping: ModelMapping = {
      defaults: { 'sd15-txt2img': { checkpoint: 'dreamshaper_8.safetensors' } },
    };
    assert.deepEqual(chooseSlotFiles(sd15, [], mapping).files, { checkpoint: 'dreamshaper_8.safetensors' });
  });

  it('GIVEN text encoders of the family THEN the one named like the missing file is preferred', () => {
    const installed = catalogWith({
      diffusion_models: ['flux1-dev.safetensors'],
      text_encoders: ['clip_l.safetensors', 't5xxl_fp16.safetensors'],
      vae: ['ae.safetensors'],
    });
    const mapping: ModelMapping = { families: { flux: ['flux1-*', 'clip_l*', 't5xxl*'] } };
    const chosen = chooseSlotFiles(flux, [installed], mapping);
    assert.deepEqual(chosen.files, {
      diffusion_model: 'flux1-dev.safetensors',
      vae: 'ae.safetensors',
      text_encoder: 't5xxl_fp16.safetensors',
      text_encoder_2: 'clip_l.safetensors',
    });
    assert.deepEqual(
      chosen.substitutions.map((s) => s.slot),
      ['diffusion_model', 'text_encoder'],
    );
    const adapted = withSlotFiles(flux, chosen.files);
    assert.deepEqual(checkWorkflow(adapted.graph, installed), []);
  });

  it('GIVEN chosen files THEN the template graph, its parameter defaults and slots name them; the original is untouched', () => {
    const adapted = withSlotFiles(sd15, { checkpoint: 'dreamshaper_8.safetensors' });
    assert.equal(adapted.graph['4']?.inputs['ckpt_name'], 'dreamshaper_8.safetensors');
    assert.equal(adapted.params['checkpoint']?.default, 'dreamshaper_8.safetensors');
    assert.equal(adapted.slots?.[0]?.default, 'dreamshaper_8.safetensors');
    assert.equal(sd15.graph['4']?.inputs['ckpt_name'], 'v1-5-pruned-emaonly.safetensors');
    const bound = bindWorkflow(adapted, { prompt: 'a fox' }, { jobId: 'j1', seed: 1 });
    assert.ok(bound.ok);
    assert.equal(bound.value.workflow['4']?.inputs['ckpt_name'], 'dreamshaper_8.safetensors');
    assert.deepEqual(checkWorkflow(bound.value.workflow, OTHER_SD15), []);
    assert.equal(withSlotFiles(sd15, { checkpoint: 'v1-5-pruned-emaonly.safetensors' }), sd15);
  });
});
