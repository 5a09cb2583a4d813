import type { CommandContext } from './types.ts';

/**
 * Installed model files (autocomplete) for the template a request without a `workflow` runs: what the
 * backends that can run it have, narrowed by the operator's allow-list and what the person typed.
 */
export function installedModelChoices(
  ctx: Pick<CommandContext, 'chat' | 'place'>,
  typed: string,
): { name: string; value: string }[] {
  const template = ctx.chat.offers.defaultTemplate();
  if (!template) return [];
  const found = ctx.chat.templates.installedModels(template, {
    communityId: ctx.place.communityId,
    query: typed,
  });
  return found.models.slice(0, 25).map((m) => ({ name: m.file.slice(0, 100), value: m.file.slice(0, 100) }));
}
