import type { UserMessage } from '../src/shared/i18n.ts';
import { parseSafetyChange } from '../src/core/safety/safety-change.ts';
import type { AdminPlace, ReviewItem } from '../src/core/safety/safety-admin.ts';
import { type CommandContext, type CommandReply, text } from './types.ts';

/**
 * `/admin safety <sub> [value]`, for community admins (the front end checks before `run`; checked again
 * here, as a refusal costs nothing): `show`, `channel <action>`, `community <action>`, `adult on|off`,
 * `thresholds explicit=… suggestive=…`, `unknown <rule>` (`default` clears one), `review`, and
 * `original <job>#<n>` (the unscreened file, to the admin only).
 */
export async function safetyCommand(
  ctx: CommandContext,
  community: string,
  sub: string,
  value: string,
): Promise<CommandReply> {
  if (!ctx.isAdmin) return { kind: 'error', message: { code: 'chat.admin.denied' } };
  const place: AdminPlace = {
    platform: ctx.requester.platform,
    communityId: community,
    ...(ctx.place.channelId ? { channelId: ctx.place.channelId } : {}),
    // The platform's own age restriction (a Discord NSFW channel) is what `nsfwAllowed` says in a guild.
    ageRestricted: ctx.place.nsfwAllowed,
  };
  const admin = ctx.chat.safety;
  switch (sub || 'show') {
    case 'show':
      return text(await admin.describe(place));
    case 'review': {
      const items = await admin.review(place, Math.min(25, Math.max(1, Number(value) || 10)));
      if (items.length === 0) return text({ code: 'safety.admin.review.none' });
      return text([...items.map(reviewLine), { code: 'safety.admin.review.hint' }]);
    }
    case 'original': {
      const found = await admin.original(ctx.requester, place, value);
      if (!found.ok) return { kind: 'error', message: found.error };
      const { job, output, decision } = found.value;
      return {
        kind: 'text',
        private: true,
        messages: [
          {
            code: 'safety.admin.original',
            params: { job: job.id, output, action: decision.action, rule: decision.rule },
          },
        ],
        original: { job, output },
      };
    }
    default: {
      const change = parseSafetyChange(sub, value, place);
      if (!change.ok) return { kind: 'error', message: change.error };
      await admin.change(ctx.requester, place, change.value);
      return text([
        { code: 'safety.admin.changed', params: { what: `${sub} ${value}`.trim() } },
        await admin.describe(place),
      ]);
    }
  }
}

function reviewLine(item: ReviewItem): UserMessage {
  const scores = Object.entries(item.scores ?? {})
    .filter(([, x]) => x >= 0.05)
    .map(([k, x]) => `${k} ${x.toFixed(2)}`)
    .join(', ');
  return {
    code: 'safety.admin.review.line',
    params: {
      when: new Date(item.at).toISOString().slice(0, 16).replace('T', ' '),
      job: item.jobId,
      output: item.output,
      action: item.action,
      rule: item.rule,
      where: item.channelId ? `#${item.channelId}` : '—',
      scores: scores || '—',
    },
  };
}
