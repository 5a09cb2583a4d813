/**
 * Messages to users, in English and Simplified Chinese.
 * Each area of the code keeps its own catalogue beside it and registers it when its module loads
 * (`registerCatalog`); a message is looked up by a stable code, and `{name}` placeholders are filled
 * from params. Lower layers register their own; a platform adapter registers its own at start-up.
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

function fill(template: string, params: MessageParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const v = params[key];
    return v === undefined ? whole : String(v);
  });
}

/** A translator over fixed catalogues (tests, tools); the application uses the registry's `t`. */
export function createTranslator(catalogs: readonly Catalog[]) {
  const en: Record<string, string> = {};
  const zh: Record<string, string> = {};
  for (const c of catalogs) {
    Object.assign(en, c.en);
    Object.assign(zh, c.zh);
  }
  return function t(locale: Locale, code: string, params: MessageParams = {}): string {
    return fill((locale === 'zh' ? zh[code] : undefined) ?? en[code] ?? code, params);
  };
}

const registry: Catalog[] = [];
const english: Record<string, string> = {};
const chinese: Record<string, string> = {};

/** Adds a catalogue to the process-wide registry; returns it so a module can export it in one line. */
export function registerCatalog<C extends Catalog>(catalog: C): C {
  if (registry.includes(catalog)) return catalog;
  registry.push(catalog);
  Object.assign(english, catalog.en);
  Object.assign(chinese, catalog.zh);
  return catalog;
}

/** Every catalogue registered so far (for the completeness test). */
export function registeredCatalogs(): readonly Catalog[] {
  return registry;
}

/** Translate a message code: `t('zh', 'grammar.prompt.empty')`. */
export function t(locale: Locale, code: string, params: MessageParams = {}): string {
  return fill((locale === 'zh' ? chinese[code] : undefined) ?? english[code] ?? code, params);
}

/** A message in a person's language. */
export function say(locale: Locale, message: UserMessage): string {
  return t(locale, message.code, message.params);
}
