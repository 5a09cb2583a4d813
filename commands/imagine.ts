import { DEFAULT_POLICY } from '../src/core/chat/community-policy.ts';
import { DEFAULT_LIMITS } from '../src/core/prompt/grammar/index.ts';
import { type ImagineOptions, templatesFor } from '../src/core/prompt/index.ts';
import { COMMON_ASPECTS } from '../src/workflows/aspect.ts';
import { installedModelChoices } from './model-choices.ts';
import { type CommandContext, defineCommand } from './types.ts';

/**
 * The command's typed options as the pipeline's, values kept typed: every option but `prompt` (the
 * text, with its flags) and `image`. Discord gives them from slash options; Telegram gives none.
 */
export function imagineOptions(options: CommandContext['options']): ImagineOptions {
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const number = (v: unknown) => (typeof v === 'number' ? v : undefined);
  const typed: ImagineOptions = {
    negative: text(options['negative']),
    template: text(options['workflow']),
    model: text(options['model']),
    aspect: text(options['aspect']),
    seed: number(options['seed']),
    steps: number(options['steps']),
    count: number(options['count']),
  };
  return Object.fromEntries(Object.entries(typed).filter(([, v]) => v !== undefined));
}

/** `/imagine <prompt --flags>`: the one command everyone uses. */
export const imagine = defineCommand({
  name: 'imagine',
  description: { en: 'Generate images from a prompt', zh: '根据提示词生成图片' },
  options: [
    {
      name: 'prompt',
      kind: 'string',
      required: true,
      // The grammar's own limit: Discord refuses a longer text as it is typed, not after sending.
      maxLength: DEFAULT_LIMITS.maxPromptLength,
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
      name: 'model',
      kind: 'string',
      autocomplete: true,
      description: { en: 'Which installed model to use', zh: '使用哪个已安装的模型' },
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
    const submitted = await ctx.chat.imagine({
      requester: ctx.requester,
      text: ctx.text,
      options: imagineOptions(ctx.options),
      image: ctx.image,
      place: ctx.place,
      delivery: ctx.delivery,
      deliveryFor: ctx.deliveryFor,
      idempotencyKey: ctx.idempotencyKey,
    });
    if (!submitted.ok) return { kind: 'error', message: submitted.error };
    // Each job shows itself through its delivery target; the first stands for the command's answer.
    return { kind: 'job', job: submitted.value[0]! };
  },
  complete(option, typed, ctx) {
    if (option === 'model') return installedModelChoices(ctx, typed);
    if (option !== 'workflow') return [];
    const needle = typed.toLowerCase();
    // From memory (Discord's 3 s): the NSFW rule applies; a channel's list, kept in storage, at submit.
    // Only templates some healthy backend can run now; the value is always a template's name.
    return templatesFor(ctx.chat.offers.runnable(), ctx.place, DEFAULT_POLICY)
      .filter((t) => t.name.includes(needle) || t.tags.some((tag) => tag.includes(needle)))
      .slice(0, 25)
      .map((t) => ({
        name: `${t.name} — ${t.description[ctx.locale] ?? t.description.en}`.slice(0, 100),
        value: t.name,
      }));
  },
});
