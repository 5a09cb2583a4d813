import type { Telegram } from 'telegraf';
import type { BotCommand } from 'telegraf/types';
import type { CommandSpec } from '../../../commands/index.ts';

/** Telegram's command list from the platform-neutral specs: 1–32 chars of [a-z0-9_], 1–256 char descriptions. */
export function botCommands(specs: readonly CommandSpec[], locale: 'en' | 'zh'): BotCommand[] {
  return specs
    .filter((s) => /^[a-z0-9_]{1,32}$/.test(s.name))
    .map((s) => ({ command: s.name, description: s.description[locale].slice(0, 256) }));
}

/** Publishes the commands in English (default) and Chinese; `/admin` only in chat administrators' menus. */
export async function publishCommands(tg: Telegram, specs: readonly CommandSpec[]): Promise<void> {
  const everyone = specs.filter((s) => !s.admin);
  for (const [language_code, locale] of [
    [undefined, 'en'],
    ['zh', 'zh'],
  ] as const) {
    const lang = language_code ? { language_code } : {};
    await tg.setMyCommands(botCommands(everyone, locale), lang);
    await tg.setMyCommands(botCommands(specs, locale), {
      ...lang,
      scope: { type: 'all_chat_administrators' },
    });
  }
}
