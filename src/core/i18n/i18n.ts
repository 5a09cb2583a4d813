/**
 * Messages to users, in English and Simplified Chinese.
 * Each area of the code keeps its own catalogue (`catalog-<area>.ts`) and registers it in `catalogs.ts`;
 * a message is looked up by a stable code, and `{name}` placeholders are filled from params.
 */
export type Locale = 'en' | 'zh';
export type MessageParams = Record<string, string | number | undefined>;
export type Catalog = { en: Record<string, string>; zh: Record<string, string> };

/** A message that can be shown to a person in their language. */
export interface UserMessage {
  code: string;
  params?: MessageParams;
}

/** Maps a platform locale ("zh-CN", "zh_TW", "en-US", "zh-hans") to one we ship. */
export function toLocale(raw: string | undefined | null): Locale {
  return raw && /^zh/i.test(raw) ? 'zh' : 'en';
}

export function createTranslator(catalogs: readonly Catalog[]) {
  const en: Record<string, string> = {};
  const zh: Record<string, string> = {};
  for (const c of catalogs) {
    Object.assign(en, c.en);
    Object.assign(zh, c.zh);
  }
  return function t(locale: Locale, code: string, params: MessageParams = {}): string {
    const template = (locale === 'zh' ? zh[code] : undefined) ?? en[code] ?? code;
    return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
      const v = params[key];
      return v === undefined ? whole : String(v);
    });
  };
}
