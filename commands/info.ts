import { describeFlags } from '../src/core/prompt/grammar/index.ts';
import { defineCommand, text } from './types.ts';

export const queue = defineCommand({
  name: 'queue',
  description: { en: 'Your jobs and their place in the queue', zh: '你的任务及其排队位置' },
  options: [],
  private: true,
  async run(ctx) {
    return text(await ctx.chat.queue(ctx.requester, ctx.locale));
  },
});

export const quota = defineCommand({
  name: 'quota',
  description: { en: 'What you have left and when it refills', zh: '剩余额度及恢复时间' },
  options: [],
  private: true,
  async run(ctx) {
    const policy = await ctx.chat.policies.get(ctx.requester.platform, ctx.place.communityId);
    return text(await ctx.chat.quota(ctx.requester, policy));
  },
});

export const workflows = defineCommand({
  name: 'workflows',
  description: { en: 'The workflows you can use here', zh: '此处可用的工作流' },
  options: [],
  private: true,
  async run(ctx) {
    const policy = await ctx.chat.policies.get(ctx.requester.platform, ctx.place.communityId);
    return text(
      ctx.chat.templatesFor(ctx.place, policy).map((t) => ({
        code: 'chat.workflows.item',
        params: { name: t.name, description: t.description[ctx.locale] ?? t.description.en },
      })),
    );
  },
});

export const help = defineCommand({
  name: 'help',
  description: { en: 'How to use this bot', zh: '使用说明' },
  options: [],
  private: true,
  async run(ctx) {
    const first = ctx.chat.templates.list()[0];
    const flags = first ? describeFlags(Object.values(first.params), ctx.locale).map((f) => f.flag) : [];
    return text({ code: 'chat.help', params: { flags: flags.join(' ') } });
  },
});
