import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { UserMessage } from '../../../../src/shared/i18n.ts';
import type { Result } from '../../../../src/shared/result.ts';
import { type ImaginePlan, planImagine } from '../../../../src/core/prompt/index.ts';
import { ctx, png, request } from './imagine-fixtures.ts';

const plan = async (...args: Parameters<typeof request>) => planImagine(ctx, request(...args));

function planned(r: Result<ImaginePlan, UserMessage>): ImaginePlan {
  assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
  return r.value;
}

function refused(r: Result<ImaginePlan, UserMessage>): UserMessage {
  assert.ok(!r.ok, 'expected a refusal');
  return r.error;
}

describe('imagine pipeline: which template', () => {
  it('GIVEN no template named THEN the first text-to-image template a backend can run (not flux, absent there)', async () => {
    const p = planned(await plan('a fox'));
    assert.equal(p.template.name, 'sd15-txt2img');
    assert.deepEqual(p.requests, [
      { template: 'sd15-txt2img', prompt: 'a fox', negative: undefined, values: {}, seed: undefined },
    ]);
    assert.equal(p.image, undefined);
  });

  it('GIVEN a saved default workflow THEN it is used, unless the text names another', async () => {
    const settings = { workflow: 'sdxl-txt2img' };
    assert.equal(planned(await plan('a fox', { settings })).template.name, 'sdxl-txt2img');
    const named = planned(await plan('a fox --workflow sd15-txt2img', { settings }));
    assert.equal(named.template.name, 'sd15-txt2img');
  });

  it('GIVEN an attached image and no template named THEN the image-to-image template, with the checked image', async () => {
    const p = planned(
      await plan('make it blue', { image: { bytes: png }, settings: { workflow: 'sdxl-txt2img' } }),
    );
    assert.equal(p.template.name, 'sd15-img2img');
    assert.deepEqual(
      { mime: p.image?.mime, width: p.image?.width, height: p.image?.height },
      { mime: 'image/png', width: 64, height: 48 },
    );
  });

  it('GIVEN an image, an upscale template and no prompt THEN the image’s name stands in as the prompt', async () => {
    const p = planned(await plan('--workflow upscale-4x', { image: { bytes: png, name: 'cat.png' } }));
    assert.equal(p.template.name, 'upscale-4x');
    assert.equal(p.requests[0]?.prompt, 'cat.png');
    const needsPrompt = refused(await plan('', { image: { bytes: png } }));
    assert.equal(needsPrompt.code, 'grammar.prompt.empty');
  });

  it('GIVEN no template usable in the channel THEN one refusal saying so', async () => {
    const policy = { ...request('').policy, channelTemplates: { c1: ['gone'] } };
    assert.equal(refused(await plan('a fox', { policy })).code, 'prompt.noTemplates');
  });
});

describe('imagine pipeline: refusals', () => {
  it('GIVEN a banned person or a channel where the bot is off THEN refused before anything else', async () => {
    const policy = request('').policy;
    assert.equal(
      refused(await plan('a fox', { policy: { ...policy, bannedUsers: ['u1'] } })).code,
      'chat.banned',
    );
    const elsewhere = { ...policy, allowedChannels: ['c2'] };
    assert.equal(
      refused(await plan('a fox --steps 999', { policy: elsewhere })).code,
      'chat.channelNotAllowed',
    );
  });

  it('GIVEN a template off the channel’s list THEN refused naming what is allowed there', async () => {
    const policy = { ...request('').policy, channelTemplates: { c1: ['sd15-txt2img', 'upscale-4x'] } };
    const error = refused(await plan('a fox --workflow sdxl-txt2img', { policy }));
    assert.deepEqual(error, {
      code: 'chat.templateNotAllowed',
      params: { template: 'sdxl-txt2img', allowed: 'sd15-txt2img, upscale-4x' },
    });
    const typed = refused(await plan('a fox', { policy, options: { template: 'sdxl-txt2img' } }));
    assert.equal(typed.code, 'chat.templateNotAllowed');
    assert.equal(planned(await plan('a fox', { policy })).template.name, 'sd15-txt2img');
  });

  it('GIVEN an nsfw template THEN refused outside age-restricted places, accepted inside', async () => {
    assert.deepEqual(refused(await plan('x --workflow sd15-nsfw')), {
      code: 'chat.nsfwOnly',
      params: { template: 'sd15-nsfw' },
    });
    const place = { communityId: 'g1', channelId: 'c9', nsfwAllowed: true };
    assert.equal(planned(await plan('x --workflow sd15-nsfw', { place })).template.name, 'sd15-nsfw');
  });

  it('GIVEN a banned word in the prompt, a flag or a typed option THEN refused naming the word', async () => {
    const policy = { ...request('').policy, bannedWords: ['gore'] };
    for (const [text, options] of [
      ['a Gore scene', {}],
      ['a scene --no gore', {}],
      ['a scene', { negative: 'gore' }],
    ] as const) {
      assert.deepEqual(refused(await plan(text, { policy, options })), {
        code: 'chat.bannedWord',
        params: { word: 'gore' },
      });
    }
  });

  it('GIVEN an image template without an image, or an image a template cannot take THEN one refusal each', async () => {
    assert.deepEqual(refused(await plan('x --workflow sd15-img2img')), {
      code: 'jobs.needsImage',
      params: { template: 'sd15-img2img' },
    });
    assert.deepEqual(refused(await plan('x --workflow sd15-txt2img', { image: { bytes: png } })), {
      code: 'prompt.image.unused',
      params: { template: 'sd15-txt2img' },
    });
    const pdf = { bytes: Buffer.from('%PDF-1.7\n1 0 obj') };
    assert.equal(refused(await plan('x', { image: pdf })).code, 'chat.image.notAnImage');
  });

  it('GIVEN values out of range, as text or typed THEN the grammar’s refusal naming the template’s range', async () => {
    assert.deepEqual(refused(await plan('x --steps 51')), {
      code: 'grammar.value.out_of_range',
      params: { flag: '--steps', value: '51', min: 1, max: 50 },
    });
    assert.deepEqual(refused(await plan('x', { options: { steps: 51 } })), {
      code: 'grammar.value.out_of_range',
      params: { flag: 'steps', value: '51', min: 1, max: 50 },
    });
    assert.equal(
      refused(await plan('x', { options: { params: { cfg: 'high' } } })).code,
      'grammar.value.not_number',
    );
    assert.equal(
      refused(await plan('x', { options: { params: { checkpoint: 'y' } } })).code,
      'grammar.flag.not_user_settable',
    );
    assert.equal(refused(await plan('x --n 5')).code, 'grammar.value.out_of_range');
  });
});

describe('imagine pipeline: typed options, saved settings, repeats', () => {
  it('GIVEN typed options and the same settings as text flags THEN the typed values win, the rest of the text stays', async () => {
    const p = planned(
      await plan('a fox --steps 10 --ar 1:1 --workflow sdxl-txt2img --cfg 5 --no blur', {
        options: {
          steps: 12,
          size: '512x768',
          template: 'sd15-txt2img',
          negative: 'rain',
          params: { sampler: 'euler' },
        },
      }),
    );
    assert.deepEqual(p.requests, [
      {
        template: 'sd15-txt2img',
        prompt: 'a fox',
        negative: 'rain, blur',
        values: { cfg: 5, steps: 12, width: 512, height: 768, sampler: 'euler' },
        seed: undefined,
      },
    ]);
  });

  it('GIVEN saved aspect and steps THEN they fill what the request leaves open, within the template’s range', async () => {
    const settings = { aspect: '16:9', steps: 40 };
    const p = planned(await plan('a fox --steps 9', { settings }));
    assert.deepEqual(p.requests[0]?.values, { steps: 9, width: 704, height: 384 });
    const flux = planned(await plan('a fox --workflow flux-schnell-txt2img', { settings }));
    assert.equal(flux.requests[0]?.values['steps'], 8);
    const upscale = planned(await plan('--workflow upscale-4x', { settings, image: { bytes: png } }));
    assert.deepEqual(upscale.requests[0]?.values, {});
  });

  it('GIVEN --n 3 and a seed on a template without a batch parameter THEN three requests with successive seeds', async () => {
    const p = planned(await plan('a fox --n 3 --seed 41 --steps 4', { image: { bytes: png } }));
    assert.equal(p.template.name, 'sd15-img2img');
    assert.deepEqual(
      p.requests.map((r) => [r.seed, r.values['seed'], r.values['steps']]),
      [
        [41, 41, 4],
        [42, 42, 4],
        [43, 43, 4],
      ],
    );
    const random = planned(await plan('a fox', { image: { bytes: png }, options: { count: 2 } }));
    assert.deepEqual(
      random.requests.map((r) => r.seed),
      [undefined, undefined],
    );
  });

  it('GIVEN --n 3 on a template with a batch parameter THEN one request for a batch of three', async () => {
    const p = planned(await plan('a fox --n 3'));
    assert.deepEqual(
      p.requests.map((r) => r.values),
      [{ batch: 3 }],
    );
  });
});
