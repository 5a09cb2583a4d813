import { type Catalog, registerCatalog } from '#shared/i18n.ts';

/** Texts only the Telegram front end shows. */
export const telegramCatalog: Catalog = registerCatalog({
  en: {
    'telegram.start':
      'Hi! I draw pictures with ComfyUI. In a private chat, just send me what you want to see.',
    'telegram.failed': 'Something went wrong on our side; please try again.',
    'telegram.imageTooBig': 'That image is over 20 MB; Telegram does not let bots download it.',
    'telegram.settings.tap': 'Tap a button to change a default.',
    'telegram.settings.private': 'Private results: {state}',
    'telegram.settings.steps': '{steps} steps',
    'telegram.photoNeedsPrompt':
      'Got your photo. To use it, send it again with a caption saying what to make of it (for example: make it a watercolour), or reply to it with /imagine and your prompt.',
  },
  zh: {
    'telegram.start': '你好！我用 ComfyUI 画图。在私聊中直接发送你想看到的内容即可。',
    'telegram.failed': '我们这边出错了，请重试。',
    'telegram.imageTooBig': '这张图片超过 20 MB，Telegram 不允许机器人下载。',
    'telegram.settings.tap': '点击按钮修改默认设置。',
    'telegram.settings.private': '私密结果：{state}',
    'telegram.settings.steps': '{steps} 步',
    'telegram.photoNeedsPrompt':
      '收到你的图片。要使用它，请重新发送并在说明中写上要怎么改（例如：改成水彩画），或回复这张图片并发送 /imagine 加提示词。',
  },
});
