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
    return text(await ctx.chat.quota(ctx.requester, policy, ctx.locale));
  },
});

export const workflows = defineCommand({
  name: 'workflows',
  description: { en: 'The workflows you can use here', zh: '此处可用的工作流' },
  options: [],
  private: true,
  async run(ctx) {
    const policy = await ctx.chat.policies.get(ctx.requester.platform, ctx.place.communityId);
    // Only what some healthy backend can run now; names only (tags are not workflows).
    const usable = ctx.chat.templatesFor(ctx.place, policy);
    if (usable.length === 0) return text({ code: 'chat.cannot.anything' });
    return text(
      usable.map((t) => ({
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
    const policy = await ctx.chat.policies.get(ctx.requester.platform, ctx.place.communityId);
    // The flags of the template a plain prompt runs here, not of whichever template sorts first.
    const template = ctx.chat.offers.defaultTemplate(ctx.place, policy);
    const flags = template
      ? describeFlags(Object.values(template.params), ctx.locale).map((f) => f.flag)
      : [];
    return text({
      code: 'chat.help',
      params: { template: template?.name ?? '-', flags: flags.join(' ') || '-' },
    });
  },
});
