import type { Place } from '../../core/chat/chat-service.ts';
import type { JobResult } from '../../core/jobs/ports.ts';
import type { SafetyAdmin } from '../../core/safety/safety-admin.ts';
import { shownAt } from '../../core/safety/shown-at.ts';

/**
 * A result read again for `/show` (the reader already applied the decisions stored with its job), in a
 * server re-decided for the channel where it is shown; a DM keeps the decisions of where it was posted.
 */
export function shownIn(
  admin: Pick<SafetyAdmin, 'inForce'>,
  result: JobResult,
  { communityId, channelId, nsfwAllowed }: Place,
): Promise<JobResult> {
  if (!communityId) return Promise.resolve(result);
  return shownAt(
    admin,
    { platform: 'discord', communityId, ...(channelId ? { channelId } : {}), ageRestricted: nsfwAllowed },
    result,
  );
}
