import type { CommunityPolicy } from '../src/core/chat/community-policy.ts';
import { safetyCommand } from './admin-safety.ts';
import { defineCommand, text } from './types.ts';

const ACTIONS = [
  'allow-channel',
  'deny-channel',
  'ban',
  'unban',
  'ban-word',
  'unban-word',
  'channel-templates',
  'role-tier',
  'previews',
  'safety',
  'show',
] as const;
type AdminAction = (typeof ACTIONS)[number];

const list = (v: string) =>
  v
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Applies one admin action to a policy; returns false for a malformed one. */
function apply(action: AdminAction, target: string, value: string, p: CommunityPolicy): boolean {
  switch (action) {
    case 'allow-channel':
      if (!target) return false;
      if (!p.allowedChannels.includes(target)) p.allowedChannels.push(target);
      return true;
    case 'deny-channel':
      p.allowedChannels = p.allowedChannels.filter((c) => c !== target);
      return !!target;
    case 'ban':
      if (!target) return false;
      if (!p.bannedUsers.includes(target)) p.bannedUsers.push(target);
      return true;
    case 'unban':
      p.bannedUsers = p.bannedUsers.filter((u) => u !== target);
      return !!target;
    case 'ban-word':
      for (const w of list(value || target)) if (!p.bannedWords.includes(w)) p.bannedWords.push(w);
      return !!(value || target);
    case 'unban-word': {
      const words = list(value || target);
      p.bannedWords = p.bannedWords.filter((w) => !words.includes(w));
      return words.length > 0;
    }
    case 'channel-templates':
      if (!target) return false;
      if (value) p.channelTemplates[target] = list(value);
      else delete p.channelTemplates[target];
      return true;
    case 'role-tier':
      if (!target) return false;
      if (value) p.roleTiers[target] = value;
      else delete p.roleTiers[target];
      return true;
    case 'previews':
      p.previews = !/^(off|false|0|no|关)$/i.test(value || target);
      return true;
    case 'show':
    case 'safety':
      return true;
  }
}

/** `/admin <action> <target> <value>`: community settings, for admins only; every change is audited. */
export const admin = defineCommand({
  name: 'admin',
  admin: true,
  private: true,
  description: {
    en: 'Server settings: channels, bans, banned words, templates, role tiers, image safety',
    zh: '服务器设置：频道、封禁、违禁词、工作流、角色等级、图片安全',
  },
  options: [
    {
      name: 'action',
      kind: 'string',
      required: true,
      choices: ACTIONS.map((a) => ({ name: a, value: a })),
      description: { en: 'What to change', zh: '要修改什么' },
    },
    {
      name: 'target',
      kind: 'string',
      maxLength: 100,
      description: { en: 'Channel, user or role id (or word)', zh: '频道、用户或角色 ID（或词语）' },
    },
    {
      name: 'value',
      kind: 'string',
      maxLength: 1000,
      description: { en: 'Value: templates, tier, words, on/off', zh: '值：工作流、等级、词语、on/off' },
    },
  ],
  async run(ctx) {
    const [first = '', second = '', ...rest] = ctx.text.trim().split(/\s+/);
    const action = String(ctx.options.action ?? first) as AdminAction;
    const target = String(ctx.options.target ?? (ctx.options.action ? '' : second));
    const value = String(ctx.options.value ?? (ctx.options.action ? '' : rest.join(' ')));
    const community = ctx.place.communityId;
    if (!community || !ACTIONS.includes(action)) {
      return {
        kind: 'error',
        message: { code: 'chat.admin.usage', params: { actions: ACTIONS.join(', ') } },
      };
    }
    if (action === 'safety') return safetyCommand(ctx, community, target, value);
    if (action === 'show') {
      const p = await ctx.chat.policies.get(ctx.requester.platform, community);
      return text({ code: 'chat.admin.policy', params: { policy: JSON.stringify(p) } });
    }
    let valid = true;
    await ctx.chat.administer(
      ctx.requester,
      community,
      `policy.${action}`,
      (p) => {
        valid = apply(action, target, value, p);
      },
      { target, value },
    );
    if (!valid)
      return {
        kind: 'error',
        message: { code: 'chat.admin.usage', params: { actions: ACTIONS.join(', ') } },
      };
    return text({ code: 'chat.admin.done', params: { action: `${action} ${target} ${value}`.trim() } });
  },
});
