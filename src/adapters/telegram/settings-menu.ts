import type { InlineKeyboardButton } from 'telegraf/types';
import type { ChatService } from '../../core/chat/chat-service.ts';
import type { Requester } from '../../core/jobs/types.ts';
import { type Locale, t } from '#shared/i18n.ts';
import { settingsKeyboard } from './settings-keyboard.ts';

/**
 * The `/settings` keyboard for one person: the workflows some healthy backend can run now (then the way
 * back to the server's default), and the installed models they may choose for the workflow in force
 * (their saved one, else the server's default), their current choice ticked.
 */
export async function settingsMenu(
  chat: ChatService,
  requester: Requester,
  locale: Locale,
): Promise<InlineKeyboardButton[][]> {
  const flows = chat.offers
    .runnable()
    .filter((tpl) => !tpl.params.image)
    .map((tpl) => tpl.name);
  const saved = await chat.settingsOf(requester);
  const inForce =
    (saved.workflow ? chat.templates.get(saved.workflow) : undefined) ?? chat.offers.defaultTemplate();
  const files = inForce
    ? chat.templates
        .installedModels(inForce, { communityId: requester.communityId })
        .models.map((m) => m.file)
    : [];
  return settingsKeyboard(
    flows,
    {
      steps: (steps) => t(locale, 'telegram.settings.steps', { steps }),
      privateResults: (on) => t(locale, 'telegram.settings.private', { state: on ? '✓' : '✗' }),
      defaultWorkflow: t(locale, 'chat.settings.backToDefault'),
      defaultModel: t(locale, 'telegram.settings.defaultModel'),
    },
    { files, ...(inForce && saved.models?.[inForce.name] ? { chosen: saved.models[inForce.name] } : {}) },
  );
}
