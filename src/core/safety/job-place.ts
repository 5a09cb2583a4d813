import type { JobRecord } from '../jobs/types.ts';
import type { SafetyPlace } from './place-safety.ts';
import { isSafetyAction } from './policy.ts';

/** Where a job's images go, as the audit and the community's overrides name it. */
export interface JobWhere {
  platform: string;
  communityId?: string;
  channelId?: string;
}

/**
 * The place of a job, read from what every front end already stores:
 * - platform: the delivery target's (else the requester's);
 * - community: the requester's (a Discord guild, a Telegram group);
 * - channel: the target's `channelId` (Discord) or `topicId` (a Telegram forum topic), when given;
 * - age-restricted: the target's `adult` flag, which adapters set from the platform (a Discord channel
 *   marked NSFW); a chat an admin marked adult is in the community's overrides instead;
 * - private chat: no community (a DM, a private Telegram chat). Rule: a DM follows the config default
 *   (`safety.action`, unless `safety.privateChatsAdult`), like a community without overrides; NSFW
 *   templates allowed in DMs are screened like everything else. The HTTP API is not a private chat: its
 *   key tier sets a floor through the target's `safetyMinimum`.
 */
export function jobPlace(job: JobRecord): { where: JobWhere; place: SafetyPlace } {
  const target = job.delivery;
  const platform = target?.platform ?? job.owner.platform;
  const communityId = job.owner.communityId;
  const channel = target?.channelId ?? target?.topicId;
  const channelId = typeof channel === 'string' || typeof channel === 'number' ? String(channel) : undefined;
  const minimum = target?.safetyMinimum;
  return {
    where: {
      platform,
      ...(communityId !== undefined ? { communityId } : {}),
      ...(channelId !== undefined ? { channelId } : {}),
    },
    place: {
      ageRestricted: target?.adult === true,
      privateChat: communityId === undefined && platform !== 'http',
      ...(channelId !== undefined ? { channelId } : {}),
      ...(isSafetyAction(minimum) ? { minimum } : {}),
    },
  };
}

/**
 * The operator's own command line is exempt: its images go to the operator's terminal and files, and a
 * one-off CLI run should not pay for loading the model.
 */
export const isExemptPlatform = (platform: string): boolean => platform === 'cli';
