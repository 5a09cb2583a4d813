import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import {
  ActionRowBuilder,
  type AutocompleteInteraction,
  ButtonBuilder,
  type ButtonInteraction,
  ButtonStyle,
  type ChatInputCommandInteraction,
  Client,
  DiscordAPIError,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  type Interaction,
  type Message,
  Routes,
  type TextChannel,
} from 'discord.js';
import { ManualClock } from '../../helpers/clocks.ts';
import { createClock, type FakeDiscord, Rules, startFakeDiscord, waitFor } from './fake-discord.ts';

// 1×1 PNG
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
process.on('unhandledRejection', onUnhandled);

afterEach(() => {
  assert.deepEqual(unhandled, [], 'no unhandled rejections');
});
after(() => {
  process.off('unhandledRejection', onUnhandled);
});

async function login(
  fake: FakeDiscord,
  intents: number[],
  extra: Record<string, unknown> = {},
): Promise<Client> {
  const client = new Client({ intents, rest: { api: fake.restUrl, timeout: 5000, retries: 0 }, ...extra });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(fake.token);
  await ready;
  return client;
}

function expectApiError(code: number, status?: number): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof DiscordAPIError, `expected DiscordAPIError, got ${String(err)}`);
    assert.equal(err.code, code);
    if (status !== undefined) assert.equal(err.status, status);
    return true;
  };
}

describe('fake Discord driven by the real discord.js', () => {
  let fake: FakeDiscord;
  let client: Client;
  let guildId: string;
  let channelId: string;
  let nsfwChannelId: string;
  let userId: string;
  let handler: ((i: Interaction) => Promise<void>) | undefined;
  const handlerErrors: unknown[] = [];

  /** Runs `fn` for the next interaction the bot receives and resolves with its result. */
  function onNext<T>(fn: (i: Interaction) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      handler = async (i) => {
        handler = undefined;
        await fn(i).then(resolve, reject);
      };
    });
  }

  before(async () => {
    fake = await startFakeDiscord();
    const user = fake.addUser({ username: 'alice', locale: 'de' });
    userId = user.id;
    const guild = fake.addGuild({
      name: 'Test Guild',
      ownerId: userId,
      channels: [{ name: 'general' }, { name: 'lewd', nsfw: true }],
      roles: [{ name: 'artist' }],
    });
    guildId = guild.id;
    channelId = guild.channels[0]?.id ?? '';
    nsfwChannelId = guild.channels[1]?.id ?? '';
    fake.addMember(guildId, userId, { roles: [guild.roles[1]?.id ?? ''] });
    client = await login(fake, [GatewayIntentBits.Guilds]);
    client.on(Events.InteractionCreate, (i) => {
      handler?.(i).catch((e: unknown) => handlerErrors.push(e));
    });
  });

  after(async () => {
    await client?.destroy();
    await fake?.close();
  });

  it('logs in: READY then GUILD_CREATE fill the cache (channels with nsfw, roles, members)', () => {
    const guild = client.guilds.cache.get(guildId);
    assert.ok(guild);
    assert.equal(client.user?.id, fake.botUser.id);
    assert.equal(client.application?.id, fake.applicationId);
    assert.equal((guild.channels.cache.get(nsfwChannelId) as TextChannel).nsfw, true);
    assert.equal((guild.channels.cache.get(channelId) as TextChannel).nsfw, false);
    assert.ok(guild.roles.cache.find((r) => r.name === 'artist'));
    assert.ok(guild.members.cache.get(userId));
  });

  it('records command registration and rejects invalid definitions with 50035', async () => {
    const imagine = {
      name: 'imagine',
      description: 'Generate an image',
      options: [
        { type: 3, name: 'prompt', description: 'What to draw', required: true },
        { type: 3, name: 'model', description: 'Checkpoint', autocomplete: true },
        { type: 4, name: 'steps', description: 'Sampling steps' },
        { type: 11, name: 'image', description: 'img2img input' },
      ],
    };
    const set = await client.application!.commands.set([imagine]);
    assert.equal(set.size, 1);
    await client.application!.commands.set([imagine], guildId);
    assert.equal(fake.registeredCommands()[0]?.['name'], 'imagine');
    assert.equal(fake.registeredCommands(guildId).length, 1);
    const tooMany = Array.from({ length: 26 }, (_, i) => ({ type: 3, name: `o${i}`, description: 'x' }));
    await assert.rejects(
      client.application!.commands.create({ name: 'big', description: 'too many options', options: tooMany }),
      expectApiError(50035, 400),
    );
    await assert.rejects(
      client.rest.put(Routes.applicationCommands(fake.applicationId), {
        body: [{ name: 'Bad Name', description: '' }],
      }),
      expectApiError(50035, 400),
    );
    const calls = fake.commandRegistrations();
    assert.deepEqual(
      calls.map((c) => [c.method, c.scope, c.status]),
      [
        ['PUT', 'global', 200],
        ['PUT', guildId, 200],
        ['POST', 'global', 400],
        ['PUT', 'global', 400],
      ],
    );
  });

  it('slash command → deferReply → editReply with a PNG, an embed and a button', async () => {
    const upload = fake.uploadAttachment('input.png', PNG, 'image/png');
    const done = onNext(async (i) => {
      const cmd = i as ChatInputCommandInteraction;
      assert.equal(cmd.commandName, 'imagine');
      assert.equal(cmd.options.getString('prompt'), 'a cat in space');
      assert.equal(cmd.options.getInteger('steps'), 20);
      assert.equal(cmd.attachmentSizeLimit, 10 * 1024 * 1024);
      assert.equal(cmd.locale, 'de');
      const input = cmd.options.getAttachment('image', true);
      await cmd.deferReply();
      const bytes = Buffer.from(await (await fetch(input.url)).arrayBuffer());
      assert.deepEqual(bytes, PNG, 'the bot can download the uploaded attachment');
      return cmd.editReply({
        content: 'done',
        files: [{ attachment: PNG, name: 'out.png' }],
        embeds: [new EmbedBuilder().setTitle('a cat in space').addFields({ name: 'seed', value: '42' })],
        components: [
          new ActionRowBuilder<ButtonBuilder>().addComponents(
            new ButtonBuilder().setCustomId('reroll:1').setLabel('Reroll').setStyle(ButtonStyle.Primary),
          ),
        ],
      });
    });
    const handle = await fake.slashCommand({
      guildId,
      channelId,
      userId,
      name: 'imagine',
      options: { prompt: 'a cat in space', steps: 20, image: upload },
    });
    const ack = await handle.acknowledged;
    assert.equal(ack.type, 5);
    assert.ok(ack.latencyMs >= 0 && ack.latencyMs < 3000);
    const reply = await done;
    const original = handle.original();
    assert.ok(original);
    assert.equal(original.id, reply.id);
    assert.equal(original.flags & 128, 0, 'loading flag cleared by the edit');
    assert.equal(original.content, 'done');
    assert.equal(original.attachments[0]?.contentType, 'image/png');
    assert.deepEqual(Buffer.from(original.attachments[0]?.bytes ?? []), PNG);
    assert.equal((original.embeds[0] as { title?: string }).title, 'a cat in space');
    assert.equal(original.history.length, 2, 'deferred placeholder + one edit');
    const served = await fetch(original.attachments[0]?.url ?? '');
    assert.equal(served.headers.get('content-type'), 'image/png');
    assert.ok(fake.messages(channelId).some((m) => m.id === reply.id));
    assert.equal(handle.record().status, 'acknowledged');
  });

  it('button click → deferUpdate + editReply, and → update', async () => {
    const source = fake.messages(channelId).find((m) => m.content === 'done');
    assert.ok(source);
    let done = onNext(async (i) => {
      const b = i as ButtonInteraction;
      assert.equal(b.customId, 'reroll:1');
      assert.equal(b.message.id, source.id);
      await b.deferUpdate();
      await b.editReply({ content: 'rerolling…', components: [] });
    });
    let handle = await fake.clickButton({ messageId: source.id, customId: 'reroll:1', userId });
    assert.equal((await handle.acknowledged).type, 6);
    await done;
    assert.equal(fake.message(source.id)?.content, 'rerolling…');

    await client.rest.patch(Routes.channelMessage(channelId, source.id), {
      body: {
        components: [{ type: 1, components: [{ type: 2, style: 1, custom_id: 'again', label: 'Again' }] }],
      },
    });
    done = onNext(async (i) => {
      await (i as ButtonInteraction).update({ content: 'updated', components: [] });
    });
    handle = await fake.clickButton({ messageId: source.id, customId: 'again', userId });
    assert.equal((await handle.acknowledged).type, 7);
    await done;
    assert.equal(fake.message(source.id)?.content, 'updated');
    assert.equal(handle.original()?.id, source.id);
  });

  it('autocomplete: 25 choices are accepted, 26 rejected with 50035', async () => {
    const choices = (n: number) =>
      Array.from({ length: n }, (_, k) => ({ name: `model-${k}`, value: `m${k}` }));
    let done = onNext(async (i) => {
      const a = i as AutocompleteInteraction;
      assert.equal(a.options.getFocused(), 'sd');
      await a.respond(choices(25));
    });
    const got = await fake.autocomplete({
      guildId,
      channelId,
      userId,
      name: 'imagine',
      options: { prompt: 'x', model: 'sd' },
      focused: 'model',
    });
    await done;
    assert.equal(got.length, 25);

    done = onNext(async (i) => {
      await assert.rejects((i as AutocompleteInteraction).respond(choices(26)), expectApiError(50035, 400));
    });
    const rejected = fake.autocomplete({
      guildId,
      channelId,
      userId,
      name: 'imagine',
      options: { model: '' },
      focused: 'model',
    });
    await done;
    const v = fake.violations(Rules.invalidFormBody).at(-1);
    assert.ok(v?.path.includes('/callback'));
    assert.match(JSON.stringify(v?.detail), /BASE_TYPE_MAX_LENGTH/);
    fake.clock.advance(3001);
    await assert.rejects(rejected, /did not respond/);
  });

  it('a late first response (> 3 s on the fake clock) gets 10062 and is recorded as did-not-respond', async () => {
    const done = onNext(async (i) => {
      fake.clock.advance(3500); // the bot "was slow" before deferring
      await assert.rejects((i as ChatInputCommandInteraction).deferReply(), expectApiError(10062, 404));
    });
    const handle = await fake.slashCommand({
      guildId,
      channelId,
      userId,
      name: 'imagine',
      options: { prompt: 'slow' },
    });
    await done;
    await assert.rejects(handle.acknowledged, /did not respond/);
    assert.equal(handle.record().status, 'did-not-respond');
    assert.equal(handle.record().callbacks[0]?.code, 10062);
    const rules = fake
      .violations()
      .filter((v) => v.interactionId === handle.id)
      .map((v) => v.rule);
    assert.deepEqual(rules.sort(), [Rules.didNotRespond, Rules.lateAck].sort());
  });

  it('editReply after 16 minutes fails with 401/50027, the bot-token channel edit still works', async () => {
    let interaction: ChatInputCommandInteraction | undefined;
    const deferred = onNext(async (i) => {
      interaction = i as ChatInputCommandInteraction;
      await interaction.deferReply();
      return interaction.editReply('step 1');
    });
    await fake.slashCommand({ guildId, channelId, userId, name: 'imagine', options: { prompt: 'long job' } });
    const reply = await deferred;
    fake.clock.advance(16 * 60_000);
    await assert.rejects(interaction!.editReply('step 2'), expectApiError(50027, 401));
    const edited = await (interaction!.channel as TextChannel).messages.edit(
      reply.id,
      'finished via bot token',
    );
    assert.equal(edited.content, 'finished via bot token');
    assert.equal(fake.message(reply.id)?.content, 'finished via bot token');
    assert.equal(fake.violations(Rules.invalidWebhookToken).length, 1);
    assert.ok(client.token, 'discord.js keeps its bot token (webhook route is unauthenticated)');
  });

  it('an injected 429 is absorbed by discord.js: the edit lands after Retry-After', async () => {
    const channel = client.channels.cache.get(channelId) as TextChannel;
    const msg = await channel.send('progress 0%');
    fake.inject429({
      route: /^\/channels\/\d+\/messages\/\d+$/,
      method: 'PATCH',
      times: 1,
      retryAfterSec: 1,
    });
    const limited = new Promise<unknown>((resolve) => client.rest.once('rateLimited', resolve));
    const started = Date.now();
    const edited: Message = await msg.edit('progress 50%');
    const elapsed = Date.now() - started;
    assert.equal(edited.content, 'progress 50%');
    assert.ok(elapsed >= 1000, `edit resolved after ${elapsed} ms`);
    assert.ok(await limited);
    assert.equal(fake.rateLimitHits().length, 1);
    const patches = fake.requests().filter((r) => r.method === 'PATCH' && r.path.endsWith(msg.id));
    assert.deepEqual(
      patches.map((r) => r.status),
      [429, 200],
    );
    assert.equal(fake.violations(Rules.retryTooEarly).length, 0);
    const stats = fake.editStats().find((s) => s.messageId === msg.id);
    assert.equal(stats?.edits, 1);
  });

  it('rejects 11 files (30015), an oversize file (413/40005) and bad components (50035)', async () => {
    const channel = client.channels.cache.get(channelId) as TextChannel;
    const files = Array.from({ length: 11 }, (_, k) => ({ attachment: PNG, name: `f${k}.png` }));
    await assert.rejects(channel.send({ files }), expectApiError(30015, 400));

    const nineMiB = (k: number) => ({ attachment: Buffer.alloc(9 * 1024 * 1024, k), name: `n${k}.bin` });
    await assert.rejects(
      channel.send({ files: [nineMiB(1), nineMiB(2), nineMiB(3)] }),
      expectApiError(40005, 413),
    );
    assert.equal(fake.violations(Rules.requestTooLarge).length, 1);

    fake.setAttachmentSizeLimit(1024);
    const done = onNext(async (i) => {
      const cmd = i as ChatInputCommandInteraction;
      assert.equal(cmd.attachmentSizeLimit, 1024);
      await assert.rejects(
        cmd.reply({ files: [{ attachment: Buffer.alloc(2048, 1), name: 'big.png' }] }),
        expectApiError(40005, 413),
      );
      await cmd.reply({ files: [{ attachment: PNG, name: 'small.png' }] });
    });
    const handle = await fake.slashCommand({
      guildId,
      channelId,
      userId,
      name: 'imagine',
      options: { prompt: 'big' },
    });
    await done;
    fake.setAttachmentSizeLimit(10 * 1024 * 1024);
    assert.equal((await handle.acknowledged).type, 4);
    assert.deepEqual(
      handle.record().callbacks.map((c) => c.status),
      [413, 204],
    );

    const button = (k: number) => ({ type: 2, style: 1, custom_id: `b${k}`, label: `${k}` });
    const sixButtons = { components: [{ type: 1, components: [0, 1, 2, 3, 4, 5].map(button) }] };
    await assert.rejects(
      client.rest.post(Routes.channelMessages(channelId), { body: sixButtons }),
      expectApiError(50035),
    );
    const longId = { components: [{ type: 1, components: [{ ...button(0), custom_id: 'x'.repeat(101) }] }] };
    await assert.rejects(
      client.rest.post(Routes.channelMessages(channelId), { body: longId }),
      expectApiError(50035),
    );
    const sixRows = { components: [0, 1, 2, 3, 4, 5].map((k) => ({ type: 1, components: [button(k)] })) };
    await assert.rejects(
      client.rest.post(Routes.channelMessages(channelId), { body: sixRows }),
      expectApiError(50035),
    );
    await assert.rejects(channel.send('x'.repeat(2001)), expectApiError(50035));
    const embeds = Array.from({ length: 11 }, () => ({ title: 't' }));
    await assert.rejects(
      client.rest.post(Routes.channelMessages(channelId), { body: { embeds } }),
      expectApiError(50035),
    );
    await assert.rejects(channel.messages.edit('1234567890123456789', 'x'), expectApiError(10008, 404));
    await assert.rejects(client.channels.fetch('1234567890123456789'), expectApiError(10003, 404));
    assert.deepEqual(handlerErrors, []);
  });
});

describe('gateway: shards, message-content gating, resume', () => {
  let fake: FakeDiscord;
  const clients: Client[] = [];
  // Snowflakes one millisecond apart: (id >> 22) % 2 differs, so they live on different shards.
  const base = (1_700_000_000_000n - 1_420_070_400_000n) << 22n;
  const guildA = (base + (0n << 22n)).toString();
  const guildB = (base + (1n << 22n)).toString();
  let userId: string;

  before(async () => {
    fake = await startFakeDiscord({ shards: 2 });
    userId = fake.addUser({ username: 'bob' }).id;
    fake.addGuild({ id: guildA, name: 'A', channels: [{ id: '1100000000000000001', name: 'a' }] });
    fake.addGuild({ id: guildB, name: 'B', channels: [{ id: '1100000000000000002', name: 'b' }] });
  });

  after(async () => {
    for (const c of clients) await c.destroy();
    await fake?.close();
  });

  it('routes guilds to shards by (guild_id >> 22) % count and honours IDENTIFY shard', async () => {
    const client = await login(fake, [GatewayIntentBits.Guilds], { shards: [0, 1], shardCount: 2 });
    clients.push(client);
    const shardOf = (g: string) => Number((BigInt(g) >> 22n) % 2n);
    assert.notEqual(shardOf(guildA), shardOf(guildB));
    assert.equal(client.guilds.cache.get(guildA)?.shardId, shardOf(guildA));
    assert.equal(client.guilds.cache.get(guildB)?.shardId, shardOf(guildB));
    const sessions = fake.sessions();
    assert.deepEqual(sessions.map((s) => s.shard[0]).sort(), [0, 1]);

    const seen = new Promise<number>((resolve) =>
      client.once(Events.InteractionCreate, (i) => {
        resolve(i.guild?.shardId ?? -1);
        void (i as ChatInputCommandInteraction).reply('ok');
      }),
    );
    const handle = await fake.slashCommand({
      guildId: guildB,
      channelId: '1100000000000000002',
      userId,
      name: 'ping',
    });
    assert.equal(await seen, shardOf(guildB));
    assert.equal((await handle.acknowledged).type, 4);
    await client.destroy();
  });

  it('MESSAGE_CREATE carries content only with the MessageContent intent (or a mention)', async () => {
    const plain = await login(fake, [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages]);
    const reader = await login(fake, [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.MessageContent,
    ]);
    clients.push(plain, reader);
    const received = (c: Client) => {
      const got: string[] = [];
      c.on(Events.MessageCreate, (m) => {
        if (m.author.id === userId) got.push(m.content);
      });
      return got;
    };
    const plainGot = received(plain);
    const readerGot = received(reader);
    fake.sendMessage({ channelId: '1100000000000000001', userId, content: '!imagine a dog' });
    fake.sendMessage({ channelId: '1100000000000000001', userId, content: 'draw a fox', mentionsBot: true });
    await waitFor(() => plainGot.length === 2 && readerGot.length === 2, { timeoutMs: 2000 });
    assert.deepEqual(readerGot, ['!imagine a dog', `<@${fake.botUser.id}> draw a fox`]);
    assert.deepEqual(plainGot, ['', `<@${fake.botUser.id}> draw a fox`]);
  });

  it('resumes after a dropped connection and replays missed dispatches', async () => {
    const client = clients.at(-1)!;
    const got: string[] = [];
    client.on(Events.MessageCreate, (m) => {
      if (m.author.id === userId) got.push(m.content);
    });
    const before = fake.sessions().length;
    fake.disconnectGateway(4000);
    fake.sendMessage({ channelId: '1100000000000000001', userId, content: 'sent while offline' });
    await waitFor(() => got.includes('sent while offline'), { timeoutMs: 5000 });
    await waitFor(() => client.ws.status === 0, { timeoutMs: 5000 });
    assert.equal(fake.sessions().length, before, 'RESUME reused the sessions instead of identifying again');
  });
});

describe('a clock shared with the app under test', () => {
  it('GIVEN a source clock THEN the fake reads its time and runs the 3-second deadline on it', async () => {
    const source = new ManualClock();
    const fake = await startFakeDiscord({ clock: createClock({ source, start: Date.now() }) });
    try {
      const user = fake.addUser({ username: 'carol' });
      const g = fake.addGuild({ name: 'S', ownerId: user.id, channels: [{ name: 'c' }] });
      const t0 = fake.clock.now();
      const handle = await fake.slashCommand({
        guildId: g.id,
        channelId: g.channels[0]!.id,
        userId: user.id,
        name: 'imagine',
        options: { prompt: 'x' },
      });
      source.advance(2999);
      assert.equal(fake.clock.now(), t0 + 2999);
      assert.equal(handle.record().status, 'pending');
      // The fake's own deadline timer is the source's: it fires inside advance(), no real time passes.
      source.advance(20);
      assert.equal(handle.record().status, 'did-not-respond');
      await assert.rejects(handle.acknowledged, /did not respond/);
      fake.clock.advance(60_000);
      assert.equal(fake.clock.now(), t0 + 3019 + 60_000);
    } finally {
      await fake.close();
    }
  });
});
