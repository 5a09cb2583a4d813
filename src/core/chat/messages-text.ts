import { t } from '../i18n/catalogs.ts';
import type { Locale, UserMessage } from '#shared/i18n.ts';

/** Messages (a `CommandReply`'s text, a refusal) as one string, a line each; platforms clip it to their limit. */
export const messagesText = (messages: readonly UserMessage[], locale: Locale): string =>
  messages.map((m) => t(locale, m.code, m.params)).join('\n');
