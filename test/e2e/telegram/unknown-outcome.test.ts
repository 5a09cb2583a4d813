import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TelegramDeps } from '../../../src/adapters/telegram/deps.ts';
import { botMessages, broken, buttonsOf, type Harness, harness } from './harness.ts';

const NOTE = 'Your result may already be above. If it is not, press Resend.';

/**
 * Where delivery stops, as a SIGKILL would: the write of that patch never happens and nothing after it
 * runs. `afterSend`: the photo reached Telegram, the record of its id did not. `beforeSend`: the intent
 * marker was written, the photo never left.
 */
type Cut = 'none' | 'afterSend' | 'beforeSend';

interface CutState {
  cut: Cut;
  /** Resolves when delivery reached the cut. */
  reached: Promise<void>;
  hit: () => void;
}

function cutState(): CutState {
  const s = { cut: 'none' } as CutState;
  s.reached = new Promise((r) => {
    s.hit = r;
  });
  return s;
}

const never = () => new Promise<never>(() => {});

function cutAt(state: { current: CutState }) {
  return (deps: TelegramDeps): TelegramDeps => ({
    ...deps,
    jobs: {
      ...deps.jobs,
      updateDelivery: async (id, patch) => {
        const s = state.current;
        if (s.cut === 'afterSend' && 'resultIds' in patch) {
          s.hit();
          return never();
        }
        const done = await deps.jobs.updateDelivery(id, patch);
        if (s.cut === 'beforeSend' && typeof patch.sending === 'string') {
          s.hit();
          return never();
        }
        return done;
      },
    },
  });
}

describe('GIVEN a Telegram result send whose outcome is unknown WHEN another instance delivers the job', () => {
  let h: Harness;
  const state = { current: cutState() };
  let group: number;
  let ann: { id: number };
  let bob: { id: number };
  before(async () => {
    // 5× time for the app and the fake alike: the group's pacing and the restarts' close pass 5× faster.
    h = await harness({ wrapDeps: cutAt(state), speed: 5 });
    group = Number(h.tg.addChat({ type: 'supergroup', title: 'Painters' }).id);
    ann = h.tg.addUser({ first_name: 'Ann' });
    bob = h.tg.addUser({ first_name: 'Bob' });
  });
  after(() => h.close());

  const photos = () => botMessages(h.tg, group).filter((m) => m.photo);
  const noteFor = (request: number) =>
    h.tg.waitFor(
      (f) =>
        botMessages(f, group).find((m) => m.text === NOTE && m.reply_to_message_id === request) ?? undefined,
      { timeoutMs: 15_000, message: 'the Resend note' },
    );
  const press = (noteId: number, userId: number, data: string) =>
    h.tg.pressButton({ chatId: group, messageId: noteId, userId, data });

  /** Ann asks; delivery stops at `cut`; the app restarts on the same data dir and delivers again. */
  async function cutThenRestart(cut: Cut, prompt: string): Promise<number> {
    state.current = { ...cutState(), cut };
    const s = state.current;
    s.cut = cut;
    const asked = await h.tg.userSends({ chatId: group, userId: ann.id, text: `/imagine ${prompt}` });
    await s.reached;
    s.cut = 'none';
    // The cut write never ends (as after a SIGKILL): the close gives up on it after 1 s of clock time.
    await h.restart(1000);
    return (asked as unknown as { message: { message_id: number } }).message.message_id;
  }

  it('THEN a photo that reached Telegram is not sent again; the note offers Resend, only to the requester', async () => {
    const request = await cutThenRestart('afterSend', 'a red barn');

    const note = await noteFor(request);
    assert.equal(photos().length, 1, 'the photo is not sent a second time');
    const resend = buttonsOf(note).find((b) => /Resend/.test(b.text));
    assert.ok(resend, 'a Resend button');

    const refused = press(note.message_id, bob.id, resend.callback_data);
    const answer = await h.tg.waitFor((f) => f.callbackAnswers().find((a) => a.id === refused));
    assert.equal(answer.answer.show_alert, true);
    assert.match(answer.answer.text ?? '', /Only the person who asked/);
    assert.equal(photos().length, 1, 'no photo for someone else');

    press(note.message_id, ann.id, resend.callback_data);
    await h.tg.waitFor(() => (photos().length === 2 ? true : undefined), { timeoutMs: 15_000 });
    const again = photos()[1]!;
    assert.equal(again.reply_to_message_id, request);
    assert.match(again.caption ?? '', /a red barn/);
    await h.tg.waitFor(() => (h.tg.message(group, note.message_id) === undefined ? true : undefined), {
      message: 'the note goes once the result is there',
    });
    assert.deepEqual(broken(h.tg), []);
  });

  it('THEN a send that never reached Telegram is not sent on its own either; Resend delivers exactly one', async () => {
    const before = photos().length;
    const request = await cutThenRestart('beforeSend', 'a blue boat');
    const note = await noteFor(request);
    assert.equal(photos().length, before, 'nothing was sent');
    const resend = buttonsOf(note).find((b) => /Resend/.test(b.text))!;
    press(note.message_id, ann.id, resend.callback_data);
    await h.tg.waitFor(() => (photos().length === before + 1 ? true : undefined), { timeoutMs: 15_000 });
    const mine = photos().filter((m) => m.reply_to_message_id === request);
    assert.equal(mine.length, 1);
    assert.match(mine[0]!.caption ?? '', /a blue boat/);
    assert.ok(
      buttonsOf(mine[0]).some((b) => /Reroll/.test(b.text)),
      'with its buttons',
    );
    assert.deepEqual(broken(h.tg), []);
  });
});
