import { defineCommand, text } from './types.ts';

const jobOption = (required: boolean) => ({
  name: 'job',
  kind: 'string' as const,
  required,
  maxLength: 20,
  description: { en: 'Job id', zh: '任务编号' },
});

export const cancel = defineCommand({
  name: 'cancel',
  description: {
    en: 'Cancel your job (the latest one if no id)',
    zh: '取消你的任务（不填编号则取消最近一个）',
  },
  options: [jobOption(false)],
  private: true,
  async run(ctx) {
    const id = (ctx.options.job as string | undefined) ?? (ctx.text.trim() || undefined);
    const r = await ctx.chat.cancel(id, ctx.requester, ctx.isAdmin);
    return r.ok
      ? text({ code: 'chat.canceling', params: { id: r.value.id } })
      : { kind: 'error', message: r.error };
  },
});

export const show = defineCommand({
  name: 'show',
  description: { en: "Post a job's result again, with its buttons", zh: '重新发送任务结果及按钮' },
  options: [jobOption(true)],
  async run(ctx) {
    const id = String(ctx.options.job ?? ctx.text).trim();
    const r = await ctx.chat.show(id, ctx.requester, ctx.isAdmin);
    if (!r.ok) return { kind: 'error', message: r.error };
    // A result being sent is there already: it can be shown again.
    const done =
      r.value.state === 'succeeded' || (r.value.state === 'delivering' && !!r.value.outputs?.length);
    if (!done) return { kind: 'error', message: { code: 'chat.notFinished', params: { id } } };
    return { kind: 'show', job: r.value };
  },
});

export const link = defineCommand({
  name: 'link',
  description: {
    en: 'Link this account with your account on another platform',
    zh: '将此账号与你在其他平台的账号绑定',
  },
  options: [
    {
      name: 'code',
      kind: 'string',
      maxLength: 16,
      description: { en: 'A code from /link on your other account', zh: '另一个账号 /link 得到的绑定码' },
    },
  ],
  private: true,
  async run(ctx) {
    const code = String(ctx.options.code ?? ctx.text).trim();
    const account = { platform: ctx.requester.platform, userId: ctx.requester.userId };
    if (!code)
      return text({ code: 'chat.link.code', params: { code: await ctx.chat.links.createCode(account) } });
    const r = await ctx.chat.links.redeem(code, account);
    return r.ok ? text({ code: 'chat.link.done' }) : { kind: 'error', message: r.error };
  },
});
