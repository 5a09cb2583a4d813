import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FakeDiscord, startFakeDiscord } from '../../test/fakes/discord/fake-discord.ts';
import { type FakeTelegram, startFakeTelegram } from '../../test/fakes/telegram/fake-telegram.ts';

/**
 * The chat platforms of the fault suite, in the driver process: a fake Discord with one guild per shard
 * (behind a proxy that can answer 5xx), and a fake Telegram whose webhook reaches the relay processes
 * through a balancer that tries the next one when one is down, as a load balancer would.
 */
export interface Platforms {
  discord: FakeDiscord;
  /** Discord REST as the relays see it (through the 5xx proxy). */
  discordApi: string;
  /** Per shard: the guild whose interactions that shard receives, and its channel. */
  guilds: { id: string; channelId: string }[];
  discordUsers: string[];
  telegram: FakeTelegram;
  telegramUsers: number[];
  /** The webhook URL the relays register (any https URL on port 8443: the fake posts to the balancer). */
  webhookUrl: string;
  /** Webhook ports of the relay processes, in order; the balancer tries the live ones. */
  setWebhookTargets(ports: number[]): void;
  /** The next `times` Discord REST calls answer `status`. */
  failDiscord(status: number, times: number): void;
  close(): Promise<void>;
}

export async function startPlatforms(options: { shards: number; users: number }): Promise<Platforms> {
  const discord = await startFakeDiscord({ shards: options.shards, ackDeadlineMs: 3000 });
  const guilds = Array.from({ length: options.shards }, (_, shard) => {
    // A guild id whose shard ((id >> 22) % shards) is `shard`.
    const id = String((BigInt(1000 * options.shards + shard) << 22n) + 1n);
    const g = discord.addGuild({ id, name: `Shard ${shard}`, channels: [{ name: 'general' }] });
    return { id: g.id, channelId: g.channels[0]!.id };
  });
  const discordUsers = Array.from({ length: options.users }, (_, i) => {
    const user = discord.addUser({ username: `d${i}` });
    for (const g of guilds) discord.addMember(g.id, user.id);
    return user.id;
  });
  const discordProxy = await faultProxy(new URL(discord.restUrl));

  let targets: number[] = [];
  let next = 0;
  const balancer = await listen(
    createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const order = targets.map((_, i) => targets[(next + i) % targets.length]!);
        next++;
        const attempt = (i: number): void => {
          const port = order[i];
          if (port === undefined) {
            res.writeHead(502).end();
            return;
          }
          const out = request(
            { host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers },
            (up) => {
              res.writeHead(up.statusCode ?? 502, up.headers);
              up.pipe(res);
            },
          );
          out.on('error', () => (res.headersSent ? res.destroy() : attempt(i + 1)));
          out.end(body);
        };
        attempt(0);
      });
    }),
  );
  const telegram = await startFakeTelegram({
    webhook: {
      resolveUrl: (url) => `http://127.0.0.1:${balancer.port}${new URL(url).pathname}`,
      retryMs: 200,
    },
  });
  const telegramUsers = Array.from(
    { length: options.users },
    (_, i) => telegram.addUser({ first_name: `T${i}`, language_code: 'en' }).id,
  );
  return {
    discord,
    discordApi: `${discordProxy.url}/api`,
    guilds,
    discordUsers,
    telegram,
    telegramUsers,
    webhookUrl: 'https://relay.example:8443/telegram',
    setWebhookTargets(ports) {
      targets = [...ports];
    },
    failDiscord: (status, times) => discordProxy.fail(status, times),
    async close() {
      await Promise.allSettled([discord.close(), telegram.close(), balancer.close(), discordProxy.close()]);
    },
  };
}

/** A pass-through proxy to `target` that can answer the next few requests with a 5xx instead. */
async function faultProxy(target: URL) {
  let failing: { status: number; left: number } | undefined;
  const server = await listen(
    createServer((req, res) => {
      if (failing && failing.left > 0) {
        failing.left--;
        res.writeHead(failing.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'Service unavailable (fault suite)', code: 0 }));
        return;
      }
      const out = request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      out.on('error', () => res.destroy());
      req.pipe(out);
    }),
  );
  return {
    url: `http://127.0.0.1:${server.port}`,
    fail(status: number, times: number) {
      failing = { status, left: times };
    },
    close: server.close,
  };
}

async function listen(server: Server): Promise<{ port: number; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
