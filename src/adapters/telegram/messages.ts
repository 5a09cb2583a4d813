import { type Catalog, registerCatalog } from '#shared/i18n.ts';

/** Texts only the Telegram front end shows. */
export const telegramCatalog: Catalog = registerCatalog({
  en: {
    'telegram.start':
      'Hi! I draw pictures with ComfyUI. In a private chat, just send me what you want to see.',
    'telegram.failed': 'Something went wrong on our side; please try again.',
    'telegram.imageTooBig': 'That image is over 20 MB; Telegram does not let bots download it.',
    'telegram.tooBigLink':
      '{name} is over the 50 MB Telegram lets bots send. Download it here (until {until}): {url}',
    'telegram.settings.tap': 'Tap a button to change a default.',
    'telegram.settings.private': 'Private results: {state}',
    'telegram.settings.steps': '{steps} steps',
    'telegram.settings.defaultModel': "The template's own model",
    'telegram.photoNeedsPrompt':
      'Got your photo. To use it, send it again with a caption saying what to make of it (for example: make it a watercolour), or reply to it with /imagine and your prompt.',
    'telegram.safety.withheldOne': '🚫 An image was withheld by the safety filter.',
    'telegram.safety.withheldMany': '🚫 {count} images were withheld by the safety filter.',
    'telegram.safety.withheldPrivate':
      'The safety filter withheld {count} file(s) of your result {id}: they were not posted in the chat. If this looks wrong, ask a chat admin.',
    'telegram.safety.showOriginal': '👁 Show original',
    'telegram.safety.showOriginalN': '👁 Show original {n}',
    'telegram.safety.revealNotYours': 'Only the person who asked for this image can see the original.',
    'telegram.safety.revealSent': 'Sent to you in your private chat with the bot.',
    'telegram.safety.startFirst':
      'I cannot message you yet: open a private chat with @{bot}, press Start, then tap this button again.',
    'telegram.safety.revealCaption': 'The original of {id} (blurred in the chat by the safety filter).',
    'telegram.safety.revealGone': 'That file is no longer available.',
    'telegram.resend.note': 'Your result may already be above. If it is not, press Resend.',
    'telegram.resend.button': '🔁 Resend',
    'telegram.resend.notYours': 'Only the person who asked for this result can resend it.',
    'telegram.resend.already': 'Your result is already in the chat.',
  },
  zh: {
    'telegram.start': '你好！我用 ComfyUI 画图。在私聊中直接发送你想看到的内容即可。',
    'telegram.failed': '我们这边出错了，请重试。',
    'telegram.imageTooBig': '这张图片超过 20 MB，Telegram 不允许机器人下载。',
    'telegram.tooBigLink':
      '{name} 超过了 Telegram 允许机器人发送的 50 MB。请在此下载（有效期至 {until}）：{url}',
    'telegram.settings.tap': '点击按钮修改默认设置。',
    'telegram.settings.private': '私密结果：{state}',
    'telegram.settings.steps': '{steps} 步',
    'telegram.settings.defaultModel': '使用模板自带的模型',
    'telegram.photoNeedsPrompt':
      '收到你的图片。要使用它，请重新发送并在说明中写上要怎么改（例如：改成水彩画），或回复这张图片并发送 /imagine 加提示词。',
    'telegram.safety.withheldOne': '🚫 一张图片被安全过滤器拦截。',
    'telegram.safety.withheldMany': '🚫 {count} 张图片被安全过滤器拦截。',
    'telegram.safety.withheldPrivate':
      '安全过滤器拦截了你的结果 {id} 中的 {count} 个文件，它们没有发到群里。如果你认为判断有误，请联系群管理员。',
    'telegram.safety.showOriginal': '👁 查看原图',
    'telegram.safety.showOriginalN': '👁 查看原图 {n}',
    'telegram.safety.revealNotYours': '只有请求这张图片的人才能查看原图。',
    'telegram.safety.revealSent': '已在你与机器人的私聊中发送给你。',
    'telegram.safety.startFirst':
      '我还不能给你发消息：请打开与 @{bot} 的私聊并点击“开始”，然后再点一次这个按钮。',
    'telegram.safety.revealCaption': '{id} 的原图（在聊天中已被安全过滤器模糊处理）。',
    'telegram.safety.revealGone': '这个文件已不可用。',
    'telegram.resend.note': '你的结果可能已经在上面了。如果没有，请点击“重新发送”。',
    'telegram.resend.button': '🔁 重新发送',
    'telegram.resend.notYours': '只有请求这个结果的人才能重新发送。',
    'telegram.resend.already': '你的结果已经在聊天中了。',
  },
});
