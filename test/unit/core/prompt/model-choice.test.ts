import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { installedModelsFor, planImagine } from '../../../../src/core/prompt/index.ts';
import { ctx as noBackends, request, templates } from './imagine-fixtures.ts';
import { INSTALLED, gpu, modelCtx, planned, refused } from './model-fixtures.ts';
import { catalogWith } from '../../workflows/installed.ts';

const plan = (text: string, ...rest: [Parameters<typeof modelCtx>[0]?]) =>
  planImagine(modelCtx(...rest), request(text));

describe('--model: a template or an installed model', () => {
  it('GIVEN a template name THEN the template, no model chosen', async () => {
    const p = planned(await plan('a fox --model sdxl-txt2img'));
    assert.equal(p.template.name, 'sdxl-txt2img');
    assert.equal(p.requests[0]?.models, undefined);
  });

  it('GIVEN an installed checkpoint in any case, without extension THEN the default template with that file', async () => {
    for (const line of ['a fox --model DreamShaper_8', 'a fox --model "dreamshaper 8"']) {
      const p = planned(await plan(line));
      assert.equal(p.template.name, 'sd15-txt2img', line);
      assert.deepEqual(p.requests[0]?.models, { checkpoint: 'dreamshaper_8.safetensors' }, line);
    }
  });

  it('GIVEN a checkpoint of another family THEN a template of that family; a named template wins', async () => {
    const p = planned(await plan('a fox --model juggernaut'));
    assert.equal(p.template.name, 'sdxl-txt2img');
    assert.deepEqual(p.requests[0]?.models, { checkpoint: 'juggernautXL_v9.safetensors' });
    const mapped = planned(await plan('a fox --model dreamshaper_8', { families: { sdxl: ['dream*'] } }));
    assert.equal(mapped.template.name, 'sdxl-txt2img');
    const named = planned(await plan('a fox --model juggernaut --workflow sd15-txt2img'));
    assert.equal(named.template.name, 'sd15-txt2img');
    assert.deepEqual(named.requests[0]?.models, { checkpoint: 'juggernautXL_v9.safetensors' });
  });

  it('GIVEN the typed option THEN the same as the flag', async () => {
    const r = await planImagine(modelCtx(), request('a fox', { options: { model: 'realisticVision_v60' } }));
    assert.deepEqual(planned(r).requests[0]?.models, { checkpoint: 'realisticVision_v60.safetensors' });
  });

  it('GIVEN a typo THEN "did you mean" the nearest installed model; a part of several THEN which ones', async () => {
    assert.deepEqual(refused(await plan('a fox --model dreamshapr_8')), {
      code: 'prompt.model.unknownSuggest',
      params: { value: 'dreamshapr_8', suggestion: 'dreamshaper_8.safetensors' },
    });
    assert.deepEqual(refused(await plan('a fox --model realisticvision')), {
      code: 'prompt.model.ambiguous',
      params: {
        value: 'realisticvision',
        files: 'realisticVision_v51.safetensors, realisticVision_v60.safetensors',
      },
    });
    const none = refused(await plan('a fox --model qqqqqqqqqq'));
    assert.equal(none.code, 'prompt.model.unknown');
    assert.match(String(none.params?.['models']), /dreamshaper_8\.safetensors/);
  });

  it('GIVEN the operator’s allow-list for the template THEN another installed model is refused there', async () => {
    const mapping = { allow: { templates: { 'sd15-txt2img': ['dreamshaper*'] } } };
    const refusal = refused(await plan('a fox --workflow sd15-txt2img --model realisticVision_v51', mapping));
    assert.deepEqual(refusal, {
      code: 'prompt.model.notAllowed',
      params: {
        file: 'realisticVision_v51.safetensors',
        template: 'sd15-txt2img',
        allowed: 'dreamshaper_8.safetensors',
      },
    });
    const elsewhere = planned(await plan('a fox --model realisticVision_v51', mapping));
    assert.equal(elsewhere.template.name, 'sdxl-txt2img', 'the template that allows it');
  });

  it('GIVEN the operator’s allow-list for the community THEN only those, whichever the template', async () => {
    const mapping = { allow: { communities: { g1: ['dreamshaper_8.safetensors'] } } };
    assert.equal(refused(await plan('a fox --model juggernaut', mapping)).code, 'prompt.model.notAllowed');
    assert.ok((await plan('a fox --model dreamshaper_8', mapping)).ok);
  });

  it('GIVEN no backend catalogue known THEN --model reads templates only, as before', async () => {
    const r = await planImagine(noBackends, request('a fox --model dreamshaper_8'));
    assert.equal(refused(r).code, 'grammar.template.unknown');
  });
});

describe('the template that runs when none is named', () => {
  it('GIVEN the default checkpoint missing and its family mapped THEN the SD 1.5 template is still the default', async () => {
    const unmapped = planned(await plan('a fox'));
    assert.equal(unmapped.template.name, 'flux-schnell-txt2img', 'nothing runs: the first txt2img');
    const mapped = planned(await plan('a fox', { families: { sd15: ['dreamshaper_8.safetensors'] } }));
    assert.equal(mapped.template.name, 'sd15-txt2img');
    assert.equal(mapped.requests[0]?.models, undefined, 'the binder substitutes, the request names nothing');
    const byDefault = { defaults: { 'sdxl-txt2img': { checkpoint: 'juggernautXL_v9.safetensors' } } };
    assert.equal(planned(await plan('a fox', byDefault)).template.name, 'sdxl-txt2img');
  });
});

describe('installed models offered for a template', () => {
  it('GIVEN two backends THEN the allowed files of the main slot and the LoRAs, with families and backends', () => {
    const second = catalogWith({
      checkpoints: ['dreamshaper_8.safetensors'],
      loras: ['film_grain.safetensors'],
    });
    const backends = [
      gpu('gpu1', INSTALLED),
      gpu('gpu2', second),
      { ...gpu('gpu3', INSTALLED), healthy: false },
    ];
    const mapping = {
      families: { sd15: ['dreamshaper*'] },
      allow: { communities: { g1: ['dreamshaper*', 'juggernaut*', 'film*'] } },
    };
    const sd15 = templates.get('sd15-txt2img')!;
    assert.deepEqual(installedModelsFor({ backends, mapping }, sd15, { communityId: 'g1' }), {
      template: 'sd15-txt2img',
      slot: 'checkpoint',
      models: [
        { file: 'dreamshaper_8.safetensors', family: 'sd15', backends: ['gpu1', 'gpu2'] },
        { file: 'juggernautXL_v9.safetensors', family: 'sdxl', backends: ['gpu1'] },
      ],
      loras: [{ file: 'film_grain.safetensors', backends: ['gpu1', 'gpu2'] }],
    });
    const typed = installedModelsFor({ backends, mapping }, sd15, { query: 'REAL' });
    assert.deepEqual(
      typed.models.map((m) => m.file),
      ['realisticVision_v51.safetensors', 'realisticVision_v60.safetensors'],
    );
    const upscale = installedModelsFor({ backends }, templates.get('upscale-4x')!);
    assert.deepEqual(upscale, { template: 'upscale-4x', models: [], loras: [] });
  });
});
