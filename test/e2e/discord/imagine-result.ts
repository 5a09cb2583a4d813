import type { FakeMessage, SlashCommandInput } from '../../fakes/discord/fake-discord.ts';
import { waitFor } from '../../helpers/app.ts';
import type { Harness } from './harness.ts';

/** `/imagine` by alice in the harness's guild (its channel unless told); the reply once it shows a result. */
export async function imagineResult(
  h: Harness,
  options: SlashCommandInput['options'],
  channelId = h.channelId,
): Promise<FakeMessage> {
  const handle = await h.fake.slashCommand({
    guildId: h.guildId,
    channelId,
    userId: h.alice,
    name: 'imagine',
    options,
  });
  await waitFor(() => (handle.original()?.embeds.length ?? 0) > 0, 15_000, 'result');
  return handle.original()!;
}
