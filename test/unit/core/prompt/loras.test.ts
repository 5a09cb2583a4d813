import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planImagine } from '../../../../src/core/prompt/index.ts';
import { takeLoras } from '../../../../src/core/prompt/lora-request.ts';
import { ctx as noBackends, request } from './imagine-fixtures.ts';
import { modelCtx, planned, refused } from './model-fixtures.ts';

const plan = (text: string, ...rest: Parameters<typeof modelCtx>) =>
  planImagine(modelCtx(...rest), request(`${text} --model dreamshaper_8`));

describe('LoRAs written in the prompt or as --lora', () => {
  it('GIVEN <lora:name:0.7> in the prompt THEN it leaves the prompt and names the installed LoRA', async () => {
    const p = planned(await plan('a red fox, <lora:film:0.7>, snow'));
    assert.equal(p.requests[0]?.prompt, 'a red fox, snow');
    assert.deepEqual(p.requests[0]?.loras, [{ name: 'film_grain.safetensors', strength: 0.7 }]);
  });

  it('GIVEN both syntaxes, repeated, one without strength THEN all, prompt tags first, default strength 1', async () => {
    const p = planned(
      await plan('<LORA:detail_tweaker:-0.5> a fox --lora film_grain.safetensors --lora add_more:1.25'),
    );
    assert.equal(p.requests[0]?.prompt, 'a fox');
    assert.deepEqual(p.requests[0]?.loras, [
      { name: 'detail_tweaker.safetensors', strength: -0.5 },
      { name: 'film_grain.safetensors', strength: 1 },
      { name: 'add_more_details.safetensors', strength: 1.25 },
    ]);
  });

  it('GIVEN typed LoRAs THEN they replace the text’s --lora flags (not the prompt’s tags)', async () => {
    const r = await planImagine(
      modelCtx(),
      request('a fox <lora:x:0.3> --lora film:0.5 --model dreamshaper_8', {
        options: { loras: [{ name: 'detail_tweaker', strength: 0.9 }] },
      }),
    );
    assert.deepEqual(planned(r).requests[0]?.loras, [
      { name: 'x.safetensors', strength: 0.3 },
      { name: 'detail_tweaker.safetensors', strength: 0.9 },
    ]);
  });

  it('GIVEN a strength that is not a number, or out of the operator’s range THEN refused, naming the LoRA', async () => {
    assert.deepEqual(refused(await plan('a fox <lora:film:strong>')), {
      code: 'prompt.lora.badStrength',
      params: { lora: '<lora:film:strong>', value: 'strong' },
    });
    assert.deepEqual(refused(await plan('a fox --lora film:1.5', { loras: { maxStrength: 1.2 } })), {
      code: 'prompt.lora.strengthRange',
      params: { lora: '--lora film:1.5', value: 1.5, min: -2, max: 1.2 },
    });
    assert.equal(refused(await plan('a fox <lora::0.5>')).code, 'prompt.lora.syntax');
  });

  it('GIVEN an unknown LoRA THEN the nearest installed one is suggested', async () => {
    assert.deepEqual(refused(await plan('a fox --lora flim_grain:0.5')), {
      code: 'prompt.lora.unknownSuggest',
      params: { lora: 'flim_grain', suggestion: 'film_grain.safetensors' },
    });
    assert.equal(refused(await plan('a fox --lora zzzzzzzzzz')).code, 'prompt.lora.unknown');
  });

  it('GIVEN more LoRAs than the operator allows, or one twice THEN refused', async () => {
    assert.deepEqual(refused(await plan('a fox --lora film --lora detail', { loras: { maxCount: 1 } })), {
      code: 'prompt.lora.tooMany',
      params: { count: 2, max: 1 },
    });
    assert.deepEqual(refused(await plan('a fox <lora:film:0.2> --lora film_grain')), {
      code: 'prompt.lora.twice',
      params: { lora: 'film_grain.safetensors' },
    });
  });

  it('GIVEN the community’s allow-list THEN an installed LoRA not on it is refused', async () => {
    const mapping = { allow: { communities: { g1: ['dreamshaper*', 'detail*'] } } };
    assert.deepEqual(refused(await plan('a fox --lora film', mapping)), {
      code: 'prompt.lora.notAllowed',
      params: { lora: 'film_grain.safetensors' },
    });
    assert.ok((await plan('a fox --lora detail', mapping)).ok);
  });

  it('GIVEN an upscale template THEN LoRAs are refused: it has no model to patch', async () => {
    const r = await planImagine(modelCtx(), request('cat <lora:film> --workflow upscale-4x'));
    assert.deepEqual(refused(r), { code: 'workflows.lora.unsupported', params: { template: 'upscale-4x' } });
  });

  it('GIVEN no backend catalogue known THEN names are kept as written', async () => {
    const r = await planImagine(noBackends, request('a fox <lora:my_style:0.6> --workflow sd15-txt2img'));
    assert.deepEqual(planned(r).requests[0]?.loras, [{ name: 'my_style', strength: 0.6 }]);
  });
});

describe('taking LoRAs out of the text', () => {
  it('GIVEN tags anywhere THEN the prompt is tidied: no doubled commas or spaces left behind', () => {
    const taken = takeLoras('<lora:a:1>, a fox,  <lora:b>  , snow, <lora:c:0.5>', []);
    assert.equal(taken.prompt, 'a fox, snow');
    assert.deepEqual(
      taken.specs.map((s) => [s.name, s.strength]),
      [
        ['a', '1'],
        ['b', undefined],
        ['c', '0.5'],
      ],
    );
    assert.equal(takeLoras('a fox,, no tags', []).prompt, 'a fox,, no tags', 'untouched without tags');
  });
});
