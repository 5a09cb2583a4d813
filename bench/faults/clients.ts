import type { RelayCluster } from './cluster.ts';
import type { Platforms } from './platforms.ts';
import type { Rng } from './rng.ts';

/** One person's request, on one platform, as the suite follows it to its end. */
export interface Request {
  n: number;
  platform: 'discord' | 'telegram' | 'http';
  /** The engine's idempotency key of the request (Discord, Telegram), or the HTTP job id once known. */
  key: string;
  /** Where the person looks for the answer: a Discord channel, a Telegram chat, an HTTP origin. */
  where: string;
  /** The Telegram message the person sent (the bot replies to it). */
  messageId?: number;
  /** Discord: the interaction was never acknowledged; HTTP: the API kept refusing it, with this message. */
  refused?: string;
  jobId?: string;
}

const HTTP_TRIES_MS = 60_000;

/**
 * Sends request `n` from a platform drawn at random, to a process that can receive it now: a Discord
 * guild whose shard is connected, the Telegram webhook (which reaches a live process or is retried), the
 * HTTP API of a live process (retried, with the same Idempotency-Key, on another when one fails).
 */
export async function sendRequest(
  n: number,
  rng: Rng,
  platforms: Platforms,
  cluster: RelayCluster,
): Promise<Request> {
  const prompt = `fault suite job ${n} --steps 4`;
  const connected = platforms.guilds.filter((_, shard) =>
    platforms.discord.sessions().some((s) => s.shard[0] === shard && s.socket),
  );
  const kind = rng.weighted({ discord: connected.length > 0 ? 1 : 0, telegram: 1, http: 1 });
  if (kind === 'discord') {
    const guild = rng.pick(connected);
    const handle = await platforms.discord.slashCommand({
      guildId: guild.id,
      channelId: guild.channelId,
      userId: rng.pick(platforms.discordUsers),
      name: 'imagine',
      options: { prompt, workflow: 'sd15-txt2img' },
    });
    const request: Request = {
      n,
      platform: 'discord',
      key: `discord:${handle.id}`,
      where: guild.channelId,
    };
    await handle.acknowledged.catch(() => {
      request.refused = 'The application did not respond';
    });
    return request;
  }
  if (kind === 'telegram') {
    const userId = rng.pick(platforms.telegramUsers);
    const update = await platforms.telegram.userSends({ userId, text: `/imagine ${prompt}` });
    const messageId = (update as unknown as { message: { message_id: number } }).message.message_id;
    return { n, platform: 'telegram', key: `tg:${userId}:${messageId}`, where: String(userId), messageId };
  }
  return sendHttp(n, prompt, rng, cluster);
}

async function sendHttp(n: number, prompt: string, rng: Rng, cluster: RelayCluster): Promise<Request> {
  const request: Request = { n, platform: 'http', key: '', where: '' };
  const idempotencyKey = `fault-${n}-${rng.int(0, 1e9)}`;
  const end = Date.now() + HTTP_TRIES_MS;
  let lastError = '';
  while (Date.now() < end) {
    const live = cluster.live;
    if (live.length === 0) {
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    const slot = rng.pick(live);
    const origin = `http://127.0.0.1:${slot.httpPort}`;
    try {
      const res = await fetch(`${origin}/api/relay/imagine`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        body: JSON.stringify({ prompt, template: 'sd15-txt2img' }),
        signal: AbortSignal.timeout(15_000),
      });
      const body = (await res.json()) as { id?: string; error?: { message?: string } };
      if (res.ok && body.id) return { ...request, key: body.id, jobId: body.id, where: origin };
      lastError = body.error?.message ?? `HTTP ${res.status}`;
      // A 4xx other than a rate limit is the API's final answer, with its message.
      if (res.status < 500 && res.status !== 429) return { ...request, refused: lastError };
    } catch (error) {
      lastError = String(error);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { ...request, refused: lastError || 'no answer' };
}
