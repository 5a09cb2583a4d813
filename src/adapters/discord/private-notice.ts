import { MessageFlags, type REST, Routes } from 'discord.js';
import { t, type UserMessage } from '#shared/i18n.ts';
import type { JobRecord } from '../../core/jobs/types.ts';
import type { DiscordDeps } from './deps.ts';
import type { DiscordTarget } from './front-end.ts';

/** Leave a minute of the interaction token's life unused: a notice sent at its last second would fail. */
const TOKEN_MARGIN_MS = 60_000;

/**
 * Tells a job's requester something only they should read: an ephemeral followup of their interaction
 * while its token lives, else a direct message. A closed DM is logged, never a reason to fail the delivery.
 * Sent once per job (recorded on its delivery), so a delivery retried after a crash does not repeat it.
 */
export async function tellRequester(
  deps: Pick<DiscordDeps, 'jobs' | 'clock' | 'log'>,
  rest: REST,
  job: JobRecord,
  message: UserMessage,
): Promise<void> {
  const to = (await deps.jobs.get(job.id))?.delivery as DiscordTarget | undefined;
  if (!to || to.privateNoticeSent || job.owner.platform !== 'discord') return;
  const content = t(to.locale, message.code, message.params);
  try {
    if (to.token && !to.viaChannel && deps.clock.now() < (to.tokenExpiresAt ?? 0) - TOKEN_MARGIN_MS) {
      await rest.post(Routes.webhook(to.appId, to.token), {
        body: { content, flags: MessageFlags.Ephemeral },
        auth: false,
      });
    } else {
      const dm = (await rest.post(Routes.userChannels(), { body: { recipient_id: job.owner.userId } })) as {
        id: string;
      };
      await rest.post(Routes.channelMessages(dm.id), { body: { content } });
    }
    await deps.jobs.updateDelivery(job.id, { privateNoticeSent: true });
  } catch (error) {
    deps.log.warn({ job: job.id, err: String(error) }, 'discord private notice not sent');
  }
}
