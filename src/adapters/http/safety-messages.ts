import { type Catalog, registerCatalog } from '#shared/i18n.ts';

/** What the HTTP API says about outputs the safety stage held back. */
export const httpSafetyCatalog: Catalog = registerCatalog({
  en: {
    'http.safety.blocked':
      'This output was blocked by the image safety filter ({rule}); it is not available for download.',
  },
  zh: {
    'http.safety.blocked': '此输出已被图片安全过滤器拦截（{rule}），无法下载。',
  },
});
