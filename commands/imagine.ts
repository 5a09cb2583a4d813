import { COMMON_ASPECTS } from '../src/workflows/aspect.ts';
import { defineCommand } from './types.ts';

/** `/imagine <prompt --flags>`: the one command everyone uses. */
export const imagine = defineCommand({
  name: 'imagine',
  description: { en: 'Generate images from a prompt', zh: '根据提示词生成图片' },
  options: [
    {
      name: 'prompt',
      kind: 'string',
      required: true,
      maxLength: 6000,
      description: {
        en: 'What to draw; --flags allowed (--ar 16:9 --seed 42 …)',
        zh: '要画的内容；可以带参数（--ar 16:9 --seed 42 …）',
      },
    },
    {
      name: 'negative',
      kind: 'string',
      maxLength: 2000,
      description: { en: 'What to avoid', zh: '不希望出现的内容' },
    },
    {
      name: 'workflow',
      kind: 'string',
      autocomplete: true,
      description: { en: 'Which workflow to use', zh: '使用哪个工作流' },
    },
    {
      name: 'aspect',
      kind: 'string',
      choices: COMMON_ASPECTS.map((a) => ({ name: a, value: a })),
      description: { en: 'Aspect ratio', zh: '宽高比' },
    },
    {
      name: 'seed',
      kind: 'integer',
      min: -1,
      max: Number.MAX_SAFE_INTEGER,
      description: { en: 'Seed (-1: random)', zh: '种子（-1：随机）' },
    },
    {
      name: 'steps',
      kind: 'integer',
      min: 1,
      max: 150,
      description: { en: 'Sampling steps', zh: '采样步数' },
    },
    {
      name: 'count',
      kind: 'integer',
      min: 1,
      max: 4,
      description: { en: 'How many images', zh: '生成几张' },
    },
    {
      name: 'image',
      kind: 'attachment',
      description: { en: 'Input image (image-to-image workflows)', zh: '输入图片（图生图工作流）' },
    },
  ],
  async run(ctx) {
    const { prompt: _prompt, image: _image, count, aspect, ...rest } = ctx.options;
    const submitted = await ctx.chat.imagine({
      requester: ctx.requester,
      text: ctx.text,
      options: { ...rest, ar: aspect, n: count },
      image: ctx.image,
      place: ctx.place,
      delivery: ctx.delivery,
      idempotencyKey: ctx.idempotencyKey,
    });
    return submitted.ok ? { kind: 'job', job: submitted.value } : { kind: 'error', message: submitted.error };
  },
  complete(option, typed, ctx) {
    if (option !== 'workflow') return [];
    const needle = typed.toLowerCase();
    return [...ctx.chat.app.templates.values()]
      .filter((t) => ctx.place.nsfwAllowed || !t.tags.includes('nsfw'))
      .filter((t) => t.name.includes(needle) || t.tags.some((tag) => tag.includes(needle)))
      .slice(0, 25)
      .map((t) => ({
        name: `${t.name} — ${t.description[ctx.locale] ?? t.description.en}`.slice(0, 100),
        value: t.name,
      }));
  },
});
