import type { GrammarContext, GrammarTemplate } from '../../../../../src/core/prompt/grammar/index.ts';
import type { ParamSpec } from '../../../../../src/workflows/types.ts';

const spec = (name: string, kind: ParamSpec['kind'], extra: Partial<ParamSpec> = {}): ParamSpec => ({
  name,
  kind,
  userSettable: true,
  targets: [{ node: '1', input: name }],
  ...extra,
});

const common: ParamSpec[] = [
  spec('prompt', 'text'),
  spec('negative', 'text'),
  spec('seed', 'int', { min: -1, max: Number.MAX_SAFE_INTEGER }),
  spec('steps', 'int', { min: 1, max: 100 }),
  spec('cfg', 'float', { min: 0, max: 30 }),
  spec('sampler', 'choice', { choices: ['euler', 'euler_ancestral', 'dpmpp_2m', 'ddim'] }),
  spec('scheduler', 'choice', { choices: ['normal', 'karras', 'simple'] }),
  spec('width', 'int', { min: 64, max: 2048 }),
  spec('height', 'int', { min: 64, max: 2048 }),
  spec('batch', 'int', { min: 1, max: 8 }),
];

export const sdxl: GrammarTemplate = {
  name: 'sdxl-txt2img',
  tags: ['sdxl', 'txt2img'],
  family: 'sdxl',
  params: [
    ...common,
    spec('checkpoint', 'choice', { choices: ['sd_xl_base_1.0.safetensors', 'juggernautXL.safetensors'] }),
    spec('hires', 'boolean', { description: { en: 'Upscale pass', zh: '高清修复' } }),
    spec('lora_strength', 'float', { min: 0, max: 2 }),
    spec('vae', 'choice', { userSettable: false, choices: ['a.vae'] }),
  ],
};

export const sdxlImg2img: GrammarTemplate = {
  name: 'sdxl-img2img',
  tags: ['sdxl', 'img2img'],
  family: 'sdxl',
  params: [...common, spec('denoise', 'float', { min: 0, max: 1 }), spec('image', 'image')],
};

export const sd15: GrammarTemplate = { name: 'sd15-txt2img', tags: ['sd15'], family: 'sd15', params: common };

/** Flux: no negative prompt, no batch parameter, steps fixed by the operator. */
export const flux: GrammarTemplate = {
  name: 'flux-schnell',
  aliases: ['schnell'],
  family: 'flux',
  params: [
    spec('prompt', 'text'),
    spec('seed', 'int'),
    spec('steps', 'int', { min: 1, max: 8, userSettable: false }),
    spec('width', 'int', { min: 256, max: 1536 }),
    spec('height', 'int', { min: 256, max: 1536 }),
  ],
};

export const ctx: GrammarContext = {
  templates: [sdxlImg2img, sdxl, sd15, flux],
  defaultTemplate: 'sdxl-txt2img',
};
