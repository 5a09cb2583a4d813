import { type Catalog, registerCatalog } from '#shared/i18n.ts';

/** Texts only the Discord front end shows: result embed labels and Discord-specific failures. */
export const discordCatalog: Catalog = registerCatalog({
  en: {
    'discord.embed.seed': 'Seed',
    'discord.embed.template': 'Workflow',
    'discord.embed.size': 'Size',
    'discord.embed.steps': 'Steps',
    'discord.embed.time': 'Time',
    'discord.embed.requester': 'Requested by',
    'discord.missingPermissions':
      'I cannot post results here: I am missing the {permissions} permission in this channel. Ask a server admin to grant it.',
    'discord.permission.attachFiles': 'Attach Files',
    'discord.permission.embedLinks': 'Embed Links',
    'discord.unfit': '{count} image(s) were too large to post here.',
    'discord.internal': 'Something went wrong on our side. Please try again.',
    'discord.usage': 'Write a prompt after {prefix}, for example: {prefix} a lighthouse at dusk --ar 16:9',
    'discord.ready': '{mention}, your job is done (it took {time}): {link}',
  },
  zh: {
    'discord.embed.seed': '种子',
    'discord.embed.template': '工作流',
    'discord.embed.size': '尺寸',
    'discord.embed.steps': '步数',
    'discord.embed.time': '用时',
    'discord.embed.requester': '发起人',
    'discord.missingPermissions':
      '无法在此发布结果：我缺少此频道的“{permissions}”权限。请让服务器管理员授予。',
    'discord.permission.attachFiles': '附加文件',
    'discord.permission.embedLinks': '嵌入链接',
    'discord.unfit': '有 {count} 张图片太大，无法在此发布。',
    'discord.internal': '我们这边出了点问题，请重试。',
    'discord.usage': '请在 {prefix} 后写提示词，例如：{prefix} 黄昏的灯塔 --ar 16:9',
    'discord.ready': '{mention}，你的任务完成了（用时 {time}）：{link}',
  },
});
