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
    'discord.tooLarge':
      '{name} ({size}) is larger than the {limit} Discord accepts here, so it was not posted.',
    'discord.tooLargeLink':
      '{name} ({size}) is larger than the {limit} Discord accepts here; download it (link expires {until}): {url}',
    'discord.safety.spoiler': '⚠️ Marked sensitive by this server’s safety settings: click to reveal.',
    'discord.safety.blurred':
      '🔞 {count} image(s) blurred by this server’s safety settings. The requester can see the original with “Show original”.',
    'discord.safety.withheld': '🚫 {count} image(s) withheld by this server’s safety settings.',
    'discord.safety.withheldPrivate.explicit':
      '{count} image(s) from your job {id} were not posted: they were judged explicit, which this channel does not allow.',
    'discord.safety.withheldPrivate.suggestive':
      '{count} image(s) from your job {id} were not posted: they were judged suggestive, which this channel does not allow.',
    'discord.safety.withheldPrivate.unknown':
      '{count} image(s) from your job {id} were not posted: they could not be checked, and this channel shows only checked images.',
    'discord.safety.show': 'Show original',
    'discord.safety.revealed': 'The original of job {id}, for your eyes only.',
    'discord.safety.revealNotYours': 'Only the person who asked for this image can see the original.',
    'discord.safety.revealGone': 'This image is no longer available.',
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
    'discord.tooLarge': '{name}（{size}）超过了 Discord 在此允许的 {limit}，因此未发布。',
    'discord.tooLargeLink':
      '{name}（{size}）超过了 Discord 在此允许的 {limit}；请下载（链接{until}失效）：{url}',
    'discord.safety.spoiler': '⚠️ 已按本服务器的安全设置标为敏感内容：点击查看。',
    'discord.safety.blurred':
      '🔞 有 {count} 张图片已按本服务器的安全设置模糊处理。发起人可点击“查看原图”查看原图。',
    'discord.safety.withheld': '🚫 有 {count} 张图片已按本服务器的安全设置隐藏。',
    'discord.safety.withheldPrivate.explicit':
      '你的任务 {id} 中有 {count} 张图片未发布：它们被判定为露骨内容，此频道不允许。',
    'discord.safety.withheldPrivate.suggestive':
      '你的任务 {id} 中有 {count} 张图片未发布：它们被判定为性暗示内容，此频道不允许。',
    'discord.safety.withheldPrivate.unknown':
      '你的任务 {id} 中有 {count} 张图片未发布：它们无法被检查，而此频道只显示已检查的图片。',
    'discord.safety.show': '查看原图',
    'discord.safety.revealed': '任务 {id} 的原图，仅你可见。',
    'discord.safety.revealNotYours': '只有请求这张图片的人才能查看原图。',
    'discord.safety.revealGone': '这张图片已不可用。',
  },
});
