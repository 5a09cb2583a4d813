import { type Catalog, registerCatalog } from '#shared/i18n.ts';

/** What a signed link to a chat job's file answers when it cannot serve the file. */
export const outputFileCatalog: Catalog = registerCatalog({
  en: {
    'http.link.invalid': 'This download link is not valid: copy the whole link from the message.',
    'http.link.expired': 'This download link has expired. Ask for the result again (/show) to get a new one.',
    'http.link.gone': 'This file is no longer kept: its job was deleted or has expired.',
    'http.link.unavailable':
      'This file cannot be read right now (the server that made it does not answer). Try again later.',
  },
  zh: {
    'http.link.invalid': '此下载链接无效：请从消息中复制完整的链接。',
    'http.link.expired': '此下载链接已过期。请重新获取结果（/show）以得到新链接。',
    'http.link.gone': '此文件已不再保留：它的任务已被删除或已过期。',
    'http.link.unavailable': '暂时无法读取此文件（生成它的服务器没有响应）。请稍后再试。',
  },
});
