import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Telegraf, TelegramError } from 'telegraf';
import { type FakeTelegram, startFakeTelegram } from './fake-telegram.ts';
import { noisePng, solidPng } from './images.ts';

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));
after(() => assert.deepEqual(unhandled, [], 'unhandled rejections'));

const NOT_MODIFIED =
  'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

/** Asserts a TelegramError with this code and description (string = exact, RegExp = match). */
function telegramError(code: number, description: string | RegExp) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof TelegramError, `expected TelegramError, got ${String(err)}`);
    assert.equal(err.code, code);
    if (typeof description === 'string') assert.equal(err.description, description);
    else assert.match(err.description, description);
    return true;
  };
}

describe('GIVEN real telegraf long polling against the fake', () => {
  let fake: FakeTelegram;
  let bot: Telegraf;
  let launched: Promise<void>;
  const handlerErrors: unknown[] = [];
  const downloads: Buffer[] = [];

  before(async () => {
    fake = await startFakeTelegram();
    bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
    bot.start((ctx) => ctx.reply(`Welcome, ${ctx.from.first_name}!`));
    bot.on('photo', async (ctx) => {
      const largest = ctx.message.photo.at(-1);
      if (!largest) return;
      const link = await ctx.telegram.getFileLink(largest.file_id);
      downloads.push(Buffer.from(await (await fetch(link)).arrayBuffer()));
    });
    bot.on('callback_query', async (ctx) => {
      if ('data' in ctx.callbackQuery && ctx.callbackQuery.data === 'ignore') return;
      await ctx.answerCbQuery('Working on it');
    });
    bot.catch((err) => void handlerErrors.push(err));
    launched = bot.launch();
    launched.catch((err: unknown) => handlerErrors.push(err));
    await fake.waitFor((f) => f.callsTo('getUpdates').length > 0);
  });

  after(async () => {
    bot.stop('test done');
    await launched;
    await fake.close();
    assert.deepEqual(handlerErrors, []);
    assert.deepEqual(fake.internalErrors(), []);
  });

  it('THEN launch() called getMe, deleteWebhook, then long-polls getUpdates with timeout 50', () => {
    assert.deepEqual(
      fake.calls.slice(0, 3).map((c) => c.method),
      ['getMe', 'deleteWebhook', 'getUpdates'],
    );
    assert.equal(fake.callsTo('getUpdates')[0]?.params.timeout, 50);
  });

  it('THEN /start reaches the handler with a bot_command entity and the reply lands in the chat', async () => {
    const user = fake.addUser({ first_name: 'Ada', username: 'ada_l', language_code: 'en' });
    const update = await fake.userSends({ userId: user.id, text: '/start' });
    assert.ok('message' in update && 'text' in update.message);
    assert.deepEqual(update.message.entities, [{ type: 'bot_command', offset: 0, length: 6 }]);
    const reply = await fake.waitFor((f) => f.messages(user.id).find((m) => m.sender === 'bot'));
    assert.equal(reply.text, 'Welcome, Ada!');
  });

  it('THEN edits apply, an identical edit is "not modified", and a deleted message is not found', async () => {
    const user = fake.addUser({ first_name: 'Bo' });
    const keyboard = { inline_keyboard: [[{ text: 'Cancel', callback_data: 'cancel:1' }]] };
    const sent = await bot.telegram.sendMessage(user.id, 'Queued…', { reply_markup: keyboard });
    await bot.telegram.editMessageText(user.id, sent.message_id, undefined, 'Step 1/20', {
      reply_markup: keyboard,
    });
    await assert.rejects(
      bot.telegram.editMessageText(user.id, sent.message_id, undefined, 'Step 1/20', {
        reply_markup: keyboard,
      }),
      telegramError(400, NOT_MODIFIED),
    );
    // Without reply_markup the keyboard is removed, so the same text is a real change.
    await bot.telegram.editMessageText(user.id, sent.message_id, undefined, 'Step 1/20');
    const stored = fake.message(user.id, sent.message_id);
    assert.equal(stored?.reply_markup, undefined);
    assert.deepEqual(
      stored?.edits.map((e) => e.text),
      ['Step 1/20', 'Step 1/20'],
    );
    assert.equal(await bot.telegram.deleteMessage(user.id, sent.message_id), true);
    await assert.rejects(
      bot.telegram.editMessageText(user.id, sent.message_id, undefined, 'Step 2/20'),
      telegramError(400, 'Bad Request: message to edit not found'),
    );
    await assert.rejects(
      bot.telegram.deleteMessage(user.id, sent.message_id),
      telegramError(400, 'Bad Request: message to delete not found'),
    );
    const rules = fake
      .violations()
      .filter((v) => v.chatId === user.id)
      .map((v) => v.rule);
    assert.deepEqual(rules, [
      'message-not-modified',
      'message-to-edit-not-found',
      'message-to-delete-not-found',
    ]);
  });

  it('THEN sendPhoto uploads a real PNG as multipart and Telegram-style sizes come back', async () => {
    const user = fake.addUser({ first_name: 'Cy' });
    const png = await solidPng(1024, 768);
    const msg = await bot.telegram.sendPhoto(
      user.id,
      { source: png, filename: 'cat.png' },
      { caption: 'a cat' },
    );
    assert.deepEqual(
      msg.photo.map((p) => [p.width, p.height]),
      [
        [90, 68],
        [320, 240],
        [800, 600],
        [1024, 768],
      ],
    );
    const call = fake.callsTo('sendPhoto').at(-1);
    assert.deepEqual(
      call?.files.map((f) => [f.field, f.filename, f.size]),
      [['photo', 'cat.png', png.length]],
    );
    const stored = fake.message(user.id, msg.message_id);
    assert.equal(stored?.caption, 'a cat');
    assert.ok(stored?.upload?.bytes.equals(png));
    assert.deepEqual([stored?.upload?.width, stored?.upload?.height], [1024, 768]);
  });

  it('THEN a photo over 10 MB and a photo with width + height > 10000 are rejected; sendDocument takes the big file', async () => {
    const user = fake.addUser({ first_name: 'Di' });
    const big = await noisePng(10 * 1024 * 1024 + 1);
    assert.ok(big.length > 10 * 1024 * 1024);
    await assert.rejects(
      bot.telegram.sendPhoto(user.id, { source: big, filename: 'big.png' }),
      telegramError(
        400,
        /^Bad Request: file of size \d+ bytes is too big for a photo; the maximum size is 10485760 bytes$/,
      ),
    );
    await assert.rejects(
      bot.telegram.sendPhoto(user.id, { source: await solidPng(9000, 1001), filename: 'wide.png' }),
      telegramError(400, 'Bad Request: PHOTO_INVALID_DIMENSIONS'),
    );
    const doc = await bot.telegram.sendDocument(user.id, { source: big, filename: 'full-res.png' });
    assert.equal(doc.document.file_name, 'full-res.png');
    assert.equal(doc.document.mime_type, 'image/png');
    assert.equal(doc.document.file_size, big.length);
    assert.deepEqual(
      fake.messages(user.id).map((m) => m.document?.file_name),
      ['full-res.png'],
    );
  });

  it('THEN sendMediaGroup with 4 photos makes one album, and 11 items fail', async () => {
    const user = fake.addUser({ first_name: 'Ed' });
    const png = await solidPng(64, 64);
    const photo = (i: number) => ({ type: 'photo' as const, media: { source: png, filename: `${i}.png` } });
    const album = await bot.telegram.sendMediaGroup(user.id, [0, 1, 2, 3].map(photo));
    assert.equal(album.length, 4);
    const groupIds = new Set(album.map((m) => m.media_group_id));
    assert.equal(groupIds.size, 1);
    assert.ok([...groupIds][0]);
    assert.equal(fake.callsTo('sendMediaGroup').at(-1)?.files.length, 4);
    // Re-sending by file_id needs no upload.
    const fileIds = album.map((m) => ('photo' in m ? m.photo.at(-1)?.file_id : undefined) ?? '');
    const again = await bot.telegram.sendMediaGroup(
      user.id,
      fileIds.slice(0, 2).map((id) => ({ type: 'photo', media: id })),
    );
    assert.equal(again.length, 2);
    await assert.rejects(
      bot.telegram.sendMediaGroup(
        user.id,
        Array.from({ length: 11 }, (_, i) => photo(i)),
      ),
      telegramError(400, 'Bad Request: too many messages to send as an album'),
    );
    assert.equal(fake.messages(user.id).length, 6);
  });

  it('THEN callback_data over 64 UTF-8 bytes is BUTTON_DATA_INVALID, 64 bytes is fine', async () => {
    const user = fake.addUser({ first_name: 'Flo' });
    const keyboard = (data: string) => ({ inline_keyboard: [[{ text: 'Go', callback_data: data }]] });
    await assert.rejects(
      bot.telegram.sendMessage(user.id, 'x', { reply_markup: keyboard('a'.repeat(65)) }),
      telegramError(400, 'Bad Request: BUTTON_DATA_INVALID'),
    );
    // 33 two-byte characters: 33 characters but 66 bytes.
    await assert.rejects(
      bot.telegram.sendMessage(user.id, 'x', { reply_markup: keyboard('é'.repeat(33)) }),
      telegramError(400, 'Bad Request: BUTTON_DATA_INVALID'),
    );
    await bot.telegram.sendMessage(user.id, 'x', { reply_markup: keyboard('é'.repeat(32)) });
  });

  it('THEN a button press becomes a callback query that the bot answers; a late answer is "too old"', async () => {
    const user = fake.addUser({ first_name: 'Gus' });
    const keyboard = {
      inline_keyboard: [
        [
          { text: 'Reroll', callback_data: 'reroll:42' },
          { text: 'Later', callback_data: 'ignore' },
        ],
      ],
    };
    const sent = await bot.telegram.sendMessage(user.id, 'Done', { reply_markup: keyboard });
    const id = fake.pressButton({
      chatId: user.id,
      messageId: sent.message_id,
      userId: user.id,
      data: 'reroll:42',
    });
    const answered = await fake.waitFor((f) => f.callbackAnswers().find((q) => q.id === id));
    assert.equal(answered.answer.text, 'Working on it');
    assert.equal(answered.data, 'reroll:42');

    const ignored = fake.pressButton({
      chatId: user.id,
      messageId: sent.message_id,
      userId: user.id,
      data: 'ignore',
    });
    await fake.waitFor((f) =>
      f.updateLog().some((u) => (u.update.callback_query as { id?: string } | undefined)?.id === ignored),
    );
    fake.clock.advance(15_001);
    await assert.rejects(
      bot.telegram.answerCbQuery(ignored),
      telegramError(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid'),
    );
    assert.throws(() =>
      fake.pressButton({ chatId: user.id, messageId: sent.message_id, userId: user.id, data: 'nope' }),
    );
  });

  it('THEN an injected 429 surfaces as a TelegramError with parameters.retry_after', async () => {
    const user = fake.addUser({ first_name: 'Hal' });
    const handle = fake.inject429({ method: 'sendMessage', chatId: user.id, times: 1, retryAfter: 3 });
    await assert.rejects(bot.telegram.sendMessage(user.id, 'hello'), (err: unknown) => {
      assert.ok(err instanceof TelegramError);
      assert.equal(err.code, 429);
      assert.equal(err.description, 'Too Many Requests: retry after 3');
      assert.equal(err.parameters?.retry_after, 3);
      return true;
    });
    assert.equal(handle.remaining(), 0);
    await bot.telegram.sendMessage(user.id, 'hello again');
    const early = fake
      .violations()
      .filter((v) => v.rule === 'retry-before-retry-after' && v.chatId === user.id);
    assert.equal(early.length, 1);
  });

  it("THEN the bot downloads a user's photo with getFile and the file URL", async () => {
    const user = fake.addUser({ first_name: 'Ivy' });
    const png = await solidPng(1500, 1000);
    const update = await fake.userSends({ userId: user.id, photo: png, caption: 'make it blue' });
    assert.ok('message' in update && 'photo' in update.message);
    assert.equal(update.message.photo.length, 5);
    const bytes = await fake.waitFor(() => downloads.at(-1));
    assert.ok(bytes.equals(png));
    const getFile = fake.callsTo('getFile').at(-1);
    assert.equal(getFile?.status, 200);
  });

  it('THEN commands, chat members, administrators and getChat work', async () => {
    const owner = fake.addUser({ first_name: 'Jo' });
    const member = fake.addUser({ first_name: 'Kim' });
    const group = fake.addChat({ type: 'supergroup', title: 'Artists', ownerId: owner.id });
    fake.setAdmin(Number(group.id), fake.botInfo.id);
    await bot.telegram.setMyCommands([{ command: 'imagine', description: 'Generate an image' }]);
    await bot.telegram.setMyCommands([{ command: 'imagine', description: 'Bild erzeugen' }], {
      language_code: 'de',
    });
    assert.deepEqual(await bot.telegram.getMyCommands({ language_code: 'de' }), [
      { command: 'imagine', description: 'Bild erzeugen' },
    ]);
    assert.deepEqual(await bot.telegram.getMyCommands({ language_code: 'fr' }), []);
    assert.equal(fake.commands().length, 2);
    await assert.rejects(
      bot.telegram.setMyCommands([{ command: 'Imagine!', description: 'x' }]),
      telegramError(400, 'Bad Request: BOT_COMMAND_INVALID'),
    );
    const chatId = Number(group.id);
    assert.equal((await bot.telegram.getChatMember(chatId, owner.id)).status, 'creator');
    assert.equal((await bot.telegram.getChatMember(chatId, member.id)).status, 'left');
    await fake.userSends({ chatId, userId: member.id, text: `/imagine@${fake.botInfo.username} a cat` });
    assert.equal((await bot.telegram.getChatMember(chatId, member.id)).status, 'member');
    const admins = await bot.telegram.getChatAdministrators(chatId);
    assert.deepEqual(admins.map((a) => a.status).sort(), ['administrator', 'creator']);
    const chat = await bot.telegram.getChat(chatId);
    assert.equal(chat.type, 'supergroup');
    await assert.rejects(
      bot.telegram.getChatAdministrators(owner.id),
      telegramError(400, 'Bad Request: there are no administrators in the private chat'),
    );
  });
});

describe('GIVEN two telegraf instances polling one token', () => {
  it('THEN the older getUpdates is terminated with 409 Conflict and its polling stops', async () => {
    const fake = await startFakeTelegram();
    after(() => fake.close());
    const first = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
    const second = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
    first.catch(() => {});
    second.catch(() => {});
    const firstRun = first.launch();
    const firstFailed = assert.rejects(
      firstRun,
      telegramError(
        409,
        'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
      ),
    );
    await fake.waitFor((f) => f.callsTo('getUpdates').length === 1);
    const secondRun = second.launch();
    await firstFailed;
    assert.equal(fake.violations()[0]?.rule, 'getupdates-conflict');
    // The second poller still works.
    const user = fake.addUser({ first_name: 'Lu' });
    const got: string[] = [];
    second.on('text', (ctx) => void got.push(ctx.message.text));
    await fake.userSends({ userId: user.id, text: 'hi' });
    await fake.waitFor(() => got.length === 1);
    first.stop();
    second.stop();
    await secondRun;
  });
});

describe('GIVEN a telegraf webhook with a secret token', () => {
  let fake: FakeTelegram;
  let server: Server;
  const secrets: (string | undefined)[] = [];

  before(async () => {
    fake = await startFakeTelegram();
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    await fake.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('THEN updates are POSTed with X-Telegram-Bot-Api-Secret-Token, replies come back, getUpdates is 409', async () => {
    const bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
    bot.start(async (ctx) => {
      await ctx.sendChatAction('typing'); // allowlisted: telegraf answers it inside the webhook response
      await ctx.reply('Hello from the webhook');
    });
    bot.catch((err) => assert.fail(String(err)));
    const { port } = server.address() as AddressInfo;
    const callback = await bot.createWebhook({
      domain: `127.0.0.1:${port}`,
      path: '/tg-hook',
      secret_token: 'S3cret_token',
    });
    server.on('request', (req, res) => {
      secrets.push(req.headers['x-telegram-bot-api-secret-token'] as string | undefined);
      void callback(req, res);
    });
    assert.equal(fake.webhook()?.url, `https://127.0.0.1:${port}/tg-hook`);
    await assert.rejects(
      bot.telegram.getUpdates(0, 100, 0, undefined),
      telegramError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      ),
    );
    const user = fake.addUser({ first_name: 'Mo' });
    await fake.userSends({ userId: user.id, text: '/start' });
    const reply = await fake.waitFor((f) => f.messages(user.id).find((m) => m.sender === 'bot'));
    assert.equal(reply.text, 'Hello from the webhook');
    assert.deepEqual(secrets, ['S3cret_token']);
    const action = await fake.waitForCall('sendChatAction');
    assert.equal(action.via, 'webhook-reply');
    assert.equal(action.status, 200);
    assert.equal(fake.callsTo('sendMessage')[0]?.via, 'http');
    assert.deepEqual(
      fake.chatActions().map((a) => a.action),
      ['typing'],
    );
    assert.equal(fake.webhookDelivered().length, 1);
    const info = await bot.telegram.getWebhookInfo();
    assert.equal(info.pending_update_count, 0);
  });
});

describe('GIVEN raw HTTP calls and a manual clock', () => {
  let fake: FakeTelegram;
  const call = async (method: string, body?: unknown, token = fake.token) => {
    const res = await fetch(`${fake.apiRoot}/bot${token}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  before(async () => {
    fake = await startFakeTelegram({ clock: { mode: 'manual' }, flood: { windowMs: 1000, maxPerWindow: 1 } });
  });
  after(() => fake.close());

  it('THEN a wrong token is 401 Unauthorized and an unknown method is 404', async () => {
    assert.deepEqual(await call('getMe', {}, '123:wrong'), {
      status: 401,
      body: { ok: false, error_code: 401, description: 'Unauthorized' },
    });
    assert.deepEqual(await call('sendTelepathy'), {
      status: 404,
      body: { ok: false, error_code: 404, description: 'Not Found' },
    });
    assert.equal((await call('GETME')).body.ok, true);
  });

  it('THEN getUpdates holds until an update arrives, and until timeout on the fake clock', async () => {
    const user = fake.addUser({ first_name: 'Ned' });
    const held = call('getUpdates', { timeout: 50 });
    await fake.waitFor((f) => f.callsTo('getUpdates').length > 0);
    const update = await fake.userSends({ userId: user.id, text: 'ping' });
    const first = await held;
    assert.deepEqual(
      (first.body.result as { update_id: number }[]).map((u) => u.update_id),
      [update.update_id],
    );
    // offset confirms it; the next poll waits until the clock passes the timeout.
    const empty = call('getUpdates', { timeout: 50, offset: update.update_id + 1 });
    await fake.waitFor((f) => f.callsTo('getUpdates').length === 2);
    fake.clock.advance(50_000);
    assert.deepEqual((await empty).body, { ok: true, result: [] });
  });

  it('THEN privacy mode hides plain group chatter but delivers commands and mentions', async () => {
    const user = fake.addUser({ first_name: 'Pia' });
    const group = fake.addChat({ type: 'group', title: 'Friends' });
    const chatId = Number(group.id);
    assert.deepEqual(fake.addChat({ type: 'private', id: user.id }).id, user.id);
    await fake.userSends({ chatId, userId: user.id, text: 'just chatting' });
    await fake.userSends({ chatId, userId: user.id, text: '/imagine@other_bot a dog' });
    const command = await fake.userSends({ chatId, userId: user.id, text: '/imagine a cat' });
    await fake.userSends({ chatId, userId: user.id, text: `hey @${fake.botInfo.username} draw` });
    const log = fake
      .updateLog()
      .filter((e) => (e.update.message as { chat?: { id: number } } | undefined)?.chat?.id === chatId);
    assert.deepEqual(
      log.map((e) => e.reason ?? 'delivered'),
      ['privacy_mode', 'privacy_mode', 'delivered', 'delivered'],
    );
    assert.ok('message' in command && 'entities' in command.message);
    assert.deepEqual(command.message.entities, [{ type: 'bot_command', offset: 0, length: 8 }]);
  });

  it('THEN the flood rule records fast sends to one chat and editRates reports the edit rate', async () => {
    const user = fake.addUser({ first_name: 'Oz' });
    const sent = await call('sendMessage', { chat_id: user.id, text: 'progress 0%' });
    const messageId = (sent.body.result as { message_id: number }).message_id;
    for (const pct of [10, 20, 30]) {
      await call('editMessageText', { chat_id: user.id, message_id: messageId, text: `progress ${pct}%` });
    }
    fake.clock.advance(2000);
    await call('editMessageText', { chat_id: user.id, message_id: messageId, text: 'progress 40%' });
    const floods = fake.violations().filter((v) => v.rule === 'flood' && v.chatId === user.id);
    assert.equal(floods.length, 3);
    assert.ok(floods.every((v) => !v.rejected));
    const row = fake
      .editRates(1000)
      .perMessage.find((r) => r.chatId === user.id && r.messageId === messageId);
    assert.deepEqual([row?.edits, row?.maxPerWindow, row?.minIntervalMs], [4, 3, 0]);
  });
});
