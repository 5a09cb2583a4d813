import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Telegraf } from 'telegraf';
import { createLogger } from '../../../src/core/logger.ts';
import type { FakeUser } from '../../fakes/telegram/state.ts';
import { botMessages, broken, buttonsOf, type Harness, harness } from './harness.ts';

describe('GIVEN a group with a chat admin, and a quota tier for Telegram chat admins', () => {
  let h: Harness;
  let group: number;
  let mod: FakeUser;
  let member: FakeUser;
  before(async () => {
    // 10× time for the app and the fake alike: the group's 3 s turn before "Canceled" takes 300 real ms.
    h = await harness({
      speed: 10,
      config: {
        quotas: {
          defaults: { perWindow: 1 },
          tiers: [{ name: 'mods', match: { telegramAdmins: true }, perWindow: 5 }],
        },
      },
    });
    group = Number(h.tg.addChat({ type: 'supergroup', title: 'Studio' }).id);
    mod = h.tg.addUser({ first_name: 'Mo' });
    member = h.tg.addUser({ first_name: 'Mel' });
    h.tg.setAdmin(group, mod.id);
  });
  after(() => h.close());

  const imagine = async (user: FakeUser, prompt: string) => {
    const sent = await h.tg.userSends({ chatId: group, userId: user.id, text: `/imagine ${prompt}` });
    return 'message' in sent ? sent.message.message_id : -1;
  };
  const resultFor = (prompt: string) =>
    h.tg.waitFor((f) => botMessages(f, group).find((m) => m.photo && m.caption?.includes(prompt)), {
      timeoutMs: 15_000,
    });
  const replyTo = (id: number) =>
    h.tg.waitFor((f) => botMessages(f, group).find((m) => m.text && m.reply_to_message_id === id));

  it("THEN /imagine by a chat admin gets the admin tier's limits, a member gets the defaults", async () => {
    await imagine(mod, 'first mod picture');
    await resultFor('first mod picture');
    await imagine(mod, 'second mod picture');
    await resultFor('second mod picture');

    await imagine(member, 'first member picture');
    await resultFor('first member picture');
    const refused = await replyTo(await imagine(member, 'second member picture'));
    assert.match(refused.text ?? '', /used all 1 jobs/);
    const admins = h.tg.callsTo('getChatAdministrators');
    assert.equal(admins.length, 1, 'one cached admin list served every /imagine');
    assert.deepEqual(broken(h.tg), []);
  });

  it("THEN a chat admin's Cancel on someone else's job is accepted", async () => {
    const ola = h.tg.addUser({ first_name: 'Ola' });
    h.comfy.setStepDelay(150);
    await imagine(ola, 'a very slow castle --steps 50');
    const status = await h.tg.waitFor(
      (f) =>
        botMessages(f, group).find(
          (m) => /castle/.test(m.text ?? '') && buttonsOf(m).some((b) => /Cancel/.test(b.text)),
        ),
      { timeoutMs: 5000 },
    );
    const query = h.tg.pressButton({
      chatId: group,
      messageId: status.message_id,
      userId: mod.id,
      data: buttonsOf(status).find((b) => /Cancel/.test(b.text))!.callback_data,
    });
    const answer = await h.tg.waitFor((f) => f.callbackAnswers().find((a) => a.id === query));
    assert.equal(answer.answer.text, undefined);
    await h.tg.waitFor(
      () => /Canceled/i.test(h.tg.message(group, status.message_id)?.text ?? '') || undefined,
      { timeoutMs: 10_000 },
    );
    h.comfy.setStepDelay(5);
  });

  it('THEN /admin from a member is refused; an admin’s ban-word is audited and then blocks a prompt', async () => {
    const denied = await replyTo(
      await h.tg
        .userSends({ chatId: group, userId: member.id, text: '/admin ban-word dragon' })
        .then((u) => ('message' in u ? u.message.message_id : -1)),
    );
    assert.match(denied.text ?? '', /for server admins only/);
    const policyChanges = async () =>
      (await h.app.storage.listAudit(50)).filter((e) => e.action.startsWith('policy.'));
    assert.deepEqual(await policyChanges(), []);

    const done = await replyTo(
      await h.tg
        .userSends({ chatId: group, userId: mod.id, text: '/admin ban-word dragon' })
        .then((u) => ('message' in u ? u.message.message_id : -1)),
    );
    assert.match(done.text ?? '', /Done: ban-word dragon/);
    // Policy changes only: the safety stage audits every screened image in the same log.
    const audit = await policyChanges();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.action, 'policy.ban-word');
    assert.equal(audit[0]!.actor, `telegram:${mod.id}`);
    assert.equal(audit[0]!.target, `telegram:${group}`);

    const blocked = await replyTo(await imagine(mod, 'a red dragon over hills'));
    assert.match(blocked.text ?? '', /not allowed here: "dragon"/);
  });
});

describe('GIVEN a second process polling with the same bot token', () => {
  const lines: string[] = [];
  let h: Harness;
  before(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    h = await harness({ logger: createLogger({ level: 'info', destination: sink }) });
  });
  after(() => h.close());

  it('THEN polling stops with a clear 409 Conflict log line', async () => {
    const other = new Telegraf(h.tg.token, { telegram: { apiRoot: h.tg.apiRoot } });
    other.catch(() => undefined);
    const running = other.launch();
    try {
      const line = await h.tg.waitFor(() => lines.find((l) => /409 Conflict/.test(l)), {
        message: '409 log line',
      });
      const entry = JSON.parse(line) as { level: number; msg: string; err: string };
      assert.equal(entry.level, 50);
      assert.match(entry.msg, /another process polls with this bot token.*run one instance only/);
      assert.match(entry.err, /^409 Conflict: terminated by other getUpdates request/);
      assert.ok(!line.includes(h.tg.token.split(':')[1]!), 'no token in the log');
    } finally {
      other.stop();
      await running;
    }
  });
});
