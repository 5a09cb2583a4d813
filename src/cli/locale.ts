import { type Locale, toLocale } from '#shared/i18n.ts';

export type Env = Record<string, string | undefined>;

/** `--lang` wins, then `LC_ALL`/`LANG` when they name Chinese or English, then the configured locale. */
export function pickLocale(flag: string | undefined, env: Env, configured?: Locale): Locale {
  if (flag) return toLocale(flag);
  const system = env['LC_ALL'] || env['LANG'];
  if (system && /^(zh|en)/i.test(system)) return toLocale(system);
  return configured ?? 'en';
}

/** The `--lang` value before the arguments are parsed, so even argument errors come out in it. */
export function langFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--lang') return argv[i + 1];
    if (a.startsWith('--lang=')) return a.slice('--lang='.length);
  }
  return undefined;
}
