import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Harness as HttpHarness, readSse, startHarness } from '../../e2e/http/harness.ts';
import { botMessages, buttonsOf, harness as telegramHarness } from '../../e2e/telegram/harness.ts';
import type { JobRecord, JobUpdate } from '../../../src/core/jobs/types.ts';
import { settled, waitFor } from '../../helpers/app.ts';

const CHILD = join(import.meta.dirname, 'v2-relay-child.ts');

/** The second ComfyRelay, a real process: its URL and an API key of it. */
interface SecondRelay {
  child: ChildProcess;
  url: string;
  key: string;
  /**
   * Sends the child a line and waits for its answer: `HOLD` (its fake ComfyUI stalls the next job at its
   * first sampler step until `GO`, or until asked to interrupt it), `GO`.
   */
  tell(line: 'HOLD' | 'GO'): Promise<void>;
}

async function startSecondRelay(stepMs: number): Promise<SecondRelay> {
  const child = spawn(process.execPath, [CHILD], {
    env: { ...process.env, STEP_MS: String(stepMs) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (d) => {
    out += String(d);
  });
  await waitFor(() => /READY \S+ \S+/.test(out), 30_000, 'the second ComfyRelay serving');
  const [, url, key] = /READY (\S+) (\S+)/.exec(out)!;
  const tell = async (line: string) => {
    const answers = out.split(`DONE ${line}\n`).length;
    child.stdin!.write(`${line}\n`);
    await waitFor(
      () => out.split(`DONE ${line}\n`).length > answers,
      10_000,
      `the child's answer to ${line}`,
    );
  };
  return { child, url: url!, key: key!, tell };
}

/** Resolves once `app` sent out the progress of a running job. */
function progressSent(app: { engine: { onUpdate(l: (u: JobUpdate) => void): () => void } }): Promise<void> {
  return new Promise((resolve) => {
    const off = app.engine.onUpdate((u) => {
      if (u.job.state !== 'running' || !u.progress) return;
      off();
      resolve();
    });
  });
}

describe('a second ComfyRelay process as the comfy-api-v2 backend of the first', () => {
  let second: SecondRelay;
  const backendOf = () => [
    { name: 'relay2', kind: 'comfy-api-v2', url: second.url, apiKey: second.key, slots: 2 },
  ];
  const remoteStatus = async (remoteId: string) =>
    (
      (await (
        await fetch(`${second.url}/api/v2/jobs/${remoteId}`, {
          headers: { Authorization: `Bearer ${second.key}` },
        })
      ).json()) as { status: string }
    ).status;

  before(async () => {
    second = await startSecondRelay(5);
  });
  after(async () => {
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
  });

  describe('over HTTP', () => {
    let h: HttpHarness;
    before(async () => {
      h = await startHarness({ config: { backends: backendOf() as never }, progressIntervalMs: 50 });
    });
    after(() => h.close());

    const post = (body: object) =>
      fetch(`${h.url}/api/relay/imagine`, {
        method: 'POST',
        headers: { ...h.auth(), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    it('GIVEN an HTTP job THEN it runs on the second relay with progress and its image comes back', async () => {
      // Held at its first step on the second relay until the first one sent that progress out.
      await second.tell('HOLD');
      const sent = progressSent(h.app);
      const { id } = (await (await post({ prompt: 'a fox --steps 8', template: 'sd15-txt2img' })).json()) as {
        id: string;
      };
      await sent;
      await second.tell('GO');
      const frames = await readSse(await fetch(`${h.url}/api/v2/jobs/${id}/events`, { headers: h.auth() }));
      assert.ok(
        frames.some((f) => f.event === 'progress'),
        frames.map((f) => f.event).join(),
      );
      const job = await settled(h.app, id);
      assert.equal(job.state, 'succeeded');
      assert.equal(job.backend, 'relay2');
      assert.equal(await remoteStatus(job.remoteId!), 'succeeded');
      const out = job.outputs?.find((o) => o.kind === 'image');
      assert.ok(out, JSON.stringify(job.outputs));
      const bytes = await h.app.pool.get('relay2')!.client.viewBytes({
        filename: out.filename!,
        subfolder: out.subfolder ?? '',
        type: out.type ?? 'output',
      });
      assert.equal(bytes.subarray(0, 8).toString('hex'), '89504e470d0a1a0a');
    });

    it('GIVEN a running HTTP job WHEN it is canceled THEN it ends canceled on both relays', async () => {
      // Held on the second relay until its ComfyUI is asked to stop the job: it cannot end first.
      await second.tell('HOLD');
      const { id } = (await (await post({ prompt: 'slow --steps 8', template: 'sd15-txt2img' })).json()) as {
        id: string;
      };
      await waitFor(
        async () =>
          (await h.app.engine.get(id))?.state === 'running' && !!(await h.app.engine.get(id))?.remoteId,
      );
      const cancel = await fetch(`${h.url}/api/relay/jobs/${id}/cancel`, {
        method: 'POST',
        headers: h.auth(),
      });
      assert.ok(cancel.ok, String(cancel.status));
      const job = await settled(h.app, id);
      assert.equal(job.state, 'canceled');
      await waitFor(async () => (await remoteStatus(job.remoteId!)) === 'canceled');
    });
  });

  describe('on Telegram', () => {
    let t: Awaited<ReturnType<typeof telegramHarness>>;
    const seen = new Map<string, JobRecord>();
    const jobOf = (prompt: string) => [...seen.values()].find((j) => j.request.prompt.startsWith(prompt));
    before(async () => {
      t = await telegramHarness({ config: { backends: backendOf() as never } });
      t.app.engine.onTransition((job) => seen.set(job.id, { ...job }));
    });
    after(() => t.close());

    it('GIVEN /imagine THEN progress edits, then the photo made by the second relay', async () => {
      const user = t.tg.addUser({ first_name: 'Ada', language_code: 'en' });
      // Held at its first step on the second relay until the status message showed progress.
      await second.tell('HOLD');
      await t.tg.userSends({ userId: user.id, text: '/imagine a red fox in the snow --steps 20' });
      await t.tg.waitFor((f) => f.callsTo('editMessageText').length > 0, { timeoutMs: 20_000 });
      await second.tell('GO');
      const photo = await t.tg.waitFor((f) => botMessages(f, user.id).find((m) => m.photo), {
        timeoutMs: 20_000,
      });
      assert.match(photo.caption ?? '', /a red fox in the snow/);
      assert.ok(t.tg.callsTo('editMessageText').length > 0, 'the status showed progress');
      const job = jobOf('a red fox')!;
      assert.equal(job.backend, 'relay2');
      assert.equal(await remoteStatus(job.remoteId!), 'succeeded');
    });

    it('GIVEN a running job WHEN its Cancel button is pressed THEN it ends canceled on both relays', async () => {
      const user = t.tg.addUser({ first_name: 'Bo', language_code: 'en' });
      // Held on the second relay until its ComfyUI is asked to stop the job: it cannot end first.
      await second.tell('HOLD');
      await t.tg.userSends({ userId: user.id, text: '/imagine a lighthouse --steps 8' });
      await waitFor(() => jobOf('a lighthouse')?.state === 'running' && !!jobOf('a lighthouse')?.remoteId);
      const status = await t.tg.waitFor(
        (f) => botMessages(f, user.id).find((m) => buttonsOf(m).some((b) => /Cancel/.test(b.text))),
        { timeoutMs: 15_000 },
      );
      const cancel = buttonsOf(status).find((b) => /Cancel/.test(b.text))!;
      t.tg.pressButton({
        chatId: user.id,
        messageId: status.message_id,
        userId: user.id,
        data: cancel.callback_data,
      });
      const job = await settled(t.app, jobOf('a lighthouse')!.id);
      assert.equal(job.state, 'canceled');
      await waitFor(async () => (await remoteStatus(job.remoteId!)) === 'canceled');
      assert.equal(botMessages(t.tg, user.id).filter((m) => m.photo).length, 0);
    });
  });
});
