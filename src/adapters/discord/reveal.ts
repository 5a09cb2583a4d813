import { type ButtonInteraction, MessageFlags } from 'discord.js';
import { t, toLocale, type UserMessage } from '#shared/i18n.ts';
import type { DiscordDeps } from './deps.ts';
import { fittedOriginal } from './original-file.ts';
import { sizeText } from './result-files.ts';
import { parseRevealId } from './safety-view.ts';

/**
 * "Show original" under a blurred image: the original goes to the requester alone, as an ephemeral reply,
 * read again from its backend through the result reader (it is stored nowhere else). Anyone else who
 * presses it gets an ephemeral refusal. Returns false when the button is not one of these.
 */
export async function revealOriginal(
  deps: Pick<DiscordDeps, 'jobs' | 'results' | 'log'>,
  i: ButtonInteraction,
): Promise<boolean> {
  const id = parseRevealId(i.customId);
  if (!id) return false;
  await i.deferReply({ flags: MessageFlags.Ephemeral });
  await answer(deps, i, id);
  return true;
}

async function answer(
  deps: Pick<DiscordDeps, 'jobs' | 'results' | 'log'>,
  i: ButtonInteraction,
  id: { jobId: string; index: number },
): Promise<void> {
  const locale = toLocale(i.locale);
  const say = async (message: UserMessage) =>
    void (await i.editReply({ content: t(locale, message.code, message.params) }));
  const job = await deps.jobs.get(id.jobId);
  if (!job) return say({ code: 'discord.safety.revealGone' });
  if (job.owner.platform !== 'discord' || job.owner.userId !== i.user.id)
    return say({ code: 'discord.safety.revealNotYours' });
  const read = await deps.results.read(job);
  if (!read.ok) return say(read.error);
  const file = read.value.files[id.index];
  if (!file) return say({ code: 'discord.safety.revealGone' });
  const name = file.filename.split('/').pop() ?? file.filename;
  const limit = i.attachmentSizeLimit;
  const fitted = await fittedOriginal(file, limit);
  if (!fitted) {
    const params = { name, size: sizeText(file.bytes.length), limit: sizeText(limit) };
    return say({ code: 'discord.tooLarge', params });
  }
  await i.editReply({
    content: t(locale, 'discord.safety.revealed', { id: job.id }),
    files: [{ attachment: fitted.bytes, name: fitted.name }],
  });
  deps.log.info({ job: job.id, file: id.index, user: i.user.id }, 'discord original shown to its requester');
}
