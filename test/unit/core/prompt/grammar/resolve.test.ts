import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type GrammarContext,
  GrammarCode,
  parsePrompt,
  type ResolvedOptions,
  resolveOptions,
} from '../../../../../src/core/prompt/grammar/index.ts';
import type { UserMessage } from '../../../../../src/shared/i18n.ts';
import { ctx } from './fixtures.ts';

function resolve(raw: string, context: GrammarContext = ctx): ResolvedOptions {
  const r = resolveOptions(parsePrompt(raw), context);
  assert.ok(r.ok, `expected ok for ${raw}: ${JSON.stringify(r.ok ? '' : r.error)}`);
  return r.value;
}

function fails(raw: string, context: GrammarContext = ctx): UserMessage {
  const r = resolveOptions(parsePrompt(raw), context);
  assert.ok(!r.ok, `expected an error for ${raw}`);
  return r.error;
}

describe('resolveOptions: good input', () => {
  it('GIVEN the full example line THEN maps every flag to template parameters', () => {
    const r = resolve(
      'a lighthouse at dusk --ar 16:9 --seed 42 --steps 30 --cfg 6.5 --no text, watermark --model sdxl --n 4',
    );
    assert.deepEqual(r, {
      template: 'sdxl-txt2img',
      prompt: 'a lighthouse at dusk',
      negative: 'text, watermark',
      values: { width: 1344, height: 768, seed: 42, steps: 30, cfg: 6.5, batch: 4 },
      seed: 42,
    });
  });

  it('GIVEN --ar 16:9 THEN the size follows the family (sd15 vs sdxl)', () => {
    const xl = resolve('x --ar 16:9').values;
    const v15 = resolve('x --ar 16:9 --model sd15').values;
    assert.deepEqual([xl.width, xl.height], [1344, 768]);
    assert.deepEqual([v15.width, v15.height], [704, 384]);
    assert.ok((v15.width as number) * (v15.height as number) < (xl.width as number) * (xl.height as number));
  });

  it('GIVEN em-dash flags and --ar=W:H THEN they work like --', () => {
    const r = resolve('cat —ar=2:3 —steps 20 ——seed 7');
    assert.deepEqual(r.values, { width: 832, height: 1280, steps: 20, seed: 7 });
  });

  it('GIVEN a full-width ratio 16：9 THEN it is read as 16:9', () => {
    assert.equal(resolve('猫 --ar 16：9').values.width, 1344);
  });

  it('GIVEN --size THEN sets width and height', () => {
    assert.deepEqual(resolve('x --size 768x1024').values, { width: 768, height: 1024 });
    assert.deepEqual(resolve('x --size 512×512').values, { width: 512, height: 512 });
  });

  it('GIVEN quotes, braces and newlines in the prompt THEN keeps them', () => {
    const r = resolve('"hello" {a|b}\nline two --negative "blur"');
    assert.equal(r.prompt, '"hello" {a|b}\nline two');
    assert.equal(r.negative, 'blur');
  });

  it('GIVEN --negative and several --no THEN they are joined', () => {
    assert.equal(
      resolve('x --negative blurry --no text, logo --no hands').negative,
      'blurry, text, logo, hands',
    );
  });

  it('GIVEN --seed -1 THEN no seed is fixed (random)', () => {
    const r = resolve('x --seed -1');
    assert.equal(r.seed, undefined);
    assert.equal(r.values.seed, undefined);
  });

  it('GIVEN the largest safe seed THEN it is accepted', () => {
    assert.equal(resolve(`x --seed ${Number.MAX_SAFE_INTEGER}`).seed, Number.MAX_SAFE_INTEGER);
  });

  it('GIVEN sampler/scheduler in any case THEN returns the canonical choice', () => {
    assert.deepEqual(resolve('x --sampler DPMPP_2M --scheduler Karras').values, {
      sampler: 'dpmpp_2m',
      scheduler: 'karras',
    });
  });

  it('GIVEN --denoise .5 on img2img (via --workflow) THEN accepts a leading-point decimal', () => {
    const r = resolve('x --workflow sdxl-img2img --denoise .5');
    assert.equal(r.template, 'sdxl-img2img');
    assert.equal(r.values.denoise, 0.5);
  });

  it('GIVEN --model naming an alias or tag THEN picks that template; a default wins ties', () => {
    assert.equal(resolve('x --model schnell').template, 'flux-schnell');
    assert.equal(resolve('x --model SDXL').template, 'sdxl-txt2img');
    assert.equal(resolve('x --model img2img').template, 'sdxl-img2img');
  });

  it('GIVEN --model naming a checkpoint THEN sets the checkpoint parameter', () => {
    assert.deepEqual(resolve('x --model juggernautxl.safetensors').values, {
      checkpoint: 'juggernautXL.safetensors',
    });
  });

  it('GIVEN template parameters as flags THEN reads them by kind (- and _ equal)', () => {
    assert.deepEqual(resolve('x --hires --lora-strength 0.8').values, { hires: true, lora_strength: 0.8 });
    assert.deepEqual(resolve('x --hires off').values, { hires: false });
  });

  it('GIVEN --batch (alias of --n) and a repeated identical flag THEN accepted', () => {
    assert.equal(resolve('x --batch 2 --n 2').values.batch, 2);
    assert.equal(resolve('x --steps 20 --steps 20').values.steps, 20);
  });

  it('GIVEN --n on a template without a batch parameter THEN asks for repeats', () => {
    const r = resolve('x --model flux-schnell --n 3');
    assert.equal(r.repeat, 3);
    assert.deepEqual(r.values, {});
  });

  it('GIVEN a prompt exactly at the limit (code points) THEN accepted', () => {
    assert.equal([...resolve('猫'.repeat(2000)).prompt].length, 2000);
  });
});

describe('resolveOptions: bad input', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    ['x --steps abc', GrammarCode.notNumber, { flag: '--steps', value: 'abc' }],
    ['x --steps 1e9', GrammarCode.outOfRange, { flag: '--steps', min: 1, max: 100 }],
    ['x --steps 20.5', GrammarCode.notInteger, { flag: '--steps' }],
    ['x --cfg NaN', GrammarCode.notNumber, { flag: '--cfg' }],
    ['x --cfg Infinity', GrammarCode.notNumber, { flag: '--cfg' }],
    ['x --steps 0x1F', GrammarCode.notNumber, { flag: '--steps' }],
    ['x --cfg 31', GrammarCode.outOfRange, { flag: '--cfg', min: 0, max: 30 }],
    ['x --seed -5', GrammarCode.seedRange, { flag: '--seed' }],
    ['x --seed 1.5', GrammarCode.seedRange, { flag: '--seed' }],
    ['x --seed 9007199254740992', GrammarCode.seedRange, { max: Number.MAX_SAFE_INTEGER }],
    ['x --size 99999x99999', GrammarCode.sizeRange, { flag: '--size', min: 64, max: 2048 }],
    ['x --size 99999x64', GrammarCode.sizeRange, { flag: '--size' }],
    ['x --size 770x1024', GrammarCode.sizeMultiple, { step: 8 }],
    ['x --size big', GrammarCode.sizeSyntax, { flag: '--size' }],
    ['x --ar 16/9', GrammarCode.aspectSyntax, { flag: '--ar' }],
    ['x --ar 0:1', GrammarCode.aspectSyntax, { flag: '--ar' }],
    ['x --ar 16:9 a cat', GrammarCode.aspectSyntax, { value: '16:9 a cat' }],
    ['x --n 5', GrammarCode.outOfRange, { flag: '--n', min: 1, max: 4 }],
    ['x --n 0', GrammarCode.outOfRange, { flag: '--n' }],
    ['x --sampler eular', GrammarCode.badChoiceSuggest, { flag: '--sampler', suggestion: 'euler' }],
    ['x --scheduler zzzzzz', GrammarCode.badChoice, { choices: 'normal, karras, simple' }],
    ['x --hires perhaps', GrammarCode.notBoolean, { flag: '--hires' }],
    ['x --stpes 30', GrammarCode.unknownFlagSuggest, { flag: '--stpes', suggestion: '--steps' }],
    ['x --sed 1', GrammarCode.unknownFlagSuggest, { suggestion: '--seed' }],
    ['x --qqqqqq 1', GrammarCode.unknownFlag, { flag: '--qqqqqq' }],
    ['x --steps 20 --steps 30', GrammarCode.conflict, { flag: '--steps', first: '20', second: '30' }],
    ['x --ar 1:1 --size 512x512', GrammarCode.exclusive, { flag: '--size', other: '--ar' }],
    ['x --size 512x512 --width 768', GrammarCode.exclusive, { flag: '--width', other: '--size' }],
    ['x --negative a --negative b', GrammarCode.conflict, { flag: '--negative' }],
    ['x --model sd15 --workflow flux-schnell', GrammarCode.conflict, { flag: '--workflow' }],
    ['x --workflow sdxl-txt2im', GrammarCode.unknownTemplateSuggest, { suggestion: 'sdxl-txt2img' }],
    ['x --workflow zzzzzzzzzz', GrammarCode.unknownTemplate, {}],
    ['x --model sd15 --model notathing', GrammarCode.unknownTemplate, { flag: '--model' }],
    ['x --vae a.vae', GrammarCode.notUserSettable, { flag: '--vae' }],
    ['x --model flux-schnell --steps 4', GrammarCode.notUserSettable, { flag: '--steps' }],
    ['x --workflow sdxl-img2img --image foo', GrammarCode.imageFlag, { flag: '--image' }],
    ['x --seed', GrammarCode.missingValue, { flag: '--seed' }],
    ['x --no', GrammarCode.missingValue, { flag: '--no' }],
    ['--ar 16:9', GrammarCode.promptEmpty, {}],
    ['   \n ', GrammarCode.promptEmpty, {}],
  ];
  for (const [raw, code, params] of cases) {
    it(`GIVEN ${JSON.stringify(raw)} THEN ${code}`, () => {
      const e = fails(raw);
      assert.equal(e.code, code, JSON.stringify(e));
      for (const [k, v] of Object.entries(params))
        assert.equal(e.params?.[k], v, `${k} in ${JSON.stringify(e)}`);
    });
  }

  it('GIVEN --denoise on a txt2img template THEN says it has no such parameter, which it has, and who does', () => {
    const e = fails('x --denoise 0.6');
    assert.equal(e.code, GrammarCode.notInTemplateTry);
    assert.equal(e.params?.template, 'sdxl-txt2img');
    assert.match(String(e.params?.available), /--steps/);
    assert.equal(e.params?.others, 'sdxl-img2img');
  });

  it('GIVEN --no on a template without a negative prompt THEN not in template', () => {
    const e = fails('x --model flux-schnell --no text');
    assert.equal(e.code, GrammarCode.notInTemplateTry);
    assert.doesNotMatch(String(e.params?.available), /--no\b/);
  });

  it('GIVEN a 10,000-character prompt THEN rejects it naming the limit', () => {
    const e = fails(`${'a'.repeat(10_000)} --ar 1:1`);
    assert.deepEqual(e, { code: GrammarCode.promptTooLong, params: { length: 10_000, max: 2000 } });
  });

  it('GIVEN a custom limit THEN uses it for the prompt, the negative prompt and --n', () => {
    const small = { ...ctx, limits: { maxPromptLength: 10, maxBatch: 2 } };
    assert.equal(fails('a'.repeat(11), small).code, GrammarCode.promptTooLong);
    assert.equal(fails('x --no 12345678901', small).code, GrammarCode.textTooLong);
    assert.equal(fails('x --n 3', small).params?.max, 2);
  });

  it('GIVEN a long bad value THEN the value echoed in the error is cut short', () => {
    const e = fails(`x --steps ${'9'.repeat(500)}`);
    assert.ok(String(e.params?.value).length <= 41);
  });

  it('GIVEN a default template that does not exist THEN throws (a wiring fault, not user input)', () => {
    assert.throws(() => resolveOptions(parsePrompt('x'), { ...ctx, defaultTemplate: 'nope' }));
  });
});
