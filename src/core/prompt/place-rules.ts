import type { UserMessage } from '#shared/i18n.ts';
import { err, ok, type Result } from '#shared/result.ts';
import type { WorkflowTemplate } from '../../workflows/types.ts';
import type { CommunityPolicy } from '../chat/community-policy.ts';
import type { Requester } from '../jobs/types.ts';
import type { Place } from './imagine-request.ts';

/** The person may use the bot in this place at all: not banned, and the channel is one where it works. */
export function checkPlace(
  requester: Pick<Requester, 'userId'>,
  place: Place,
  policy: CommunityPolicy,
): Result<true, UserMessage> {
  if (policy.bannedUsers.includes(requester.userId)) return err({ code: 'chat.banned' });
  const channels = policy.allowedChannels;
  if (place.channelId && channels.length > 0 && !channels.includes(place.channelId)) {
    return err({ code: 'chat.channelNotAllowed' });
  }
  return ok(true);
}

/** Templates usable in a place: the channel's allow-list, and `nsfw` only where allowed. */
export function templatesFor(
  templates: Iterable<WorkflowTemplate>,
  place: Place,
  policy: CommunityPolicy,
): WorkflowTemplate[] {
  const allowed = place.channelId ? policy.channelTemplates[place.channelId] : undefined;
  return [...templates].filter(
    (t) => (!allowed || allowed.includes(t.name)) && (place.nsfwAllowed || !t.tags.includes('nsfw')),
  );
}

/** Why a template that exists may not be used here: age-restricted, or not on the channel's list. */
export function refusalFor(
  template: WorkflowTemplate,
  place: Place,
  usable: readonly WorkflowTemplate[],
): UserMessage {
  if (template.tags.includes('nsfw') && !place.nsfwAllowed) {
    return { code: 'chat.nsfwOnly', params: { template: template.name } };
  }
  const allowed = usable.map((t) => t.name).join(', ') || '-';
  return { code: 'chat.templateNotAllowed', params: { template: template.name, allowed } };
}
