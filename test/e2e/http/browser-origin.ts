import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page, Request } from 'playwright-core';
import { type Harness, startHarness } from './harness.ts';

/** What a hostile page tries against the relay, from the browser of an operator who opened it. */
const ATTACK = `
async function attack(target, victimJob) {
  const body = JSON.stringify({ prompt: 'mine bitcoin --steps 2' });
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 16;
  const png = await new Promise((r) => canvas.toBlob(r, 'image/png'));
  const form = new FormData();
  form.append('file', png, 'x.png');
  const tries = [
    // multipart/form-data is a "simple" type too: an upload of a real image, and a body-less cancel.
    fetch(target + '/api/v2/assets', { method: 'POST', mode: 'no-cors', body: form }),
    fetch(target + '/api/relay/jobs/' + victimJob + '/cancel', { method: 'POST', mode: 'no-cors' }),
    // A "simple" request: no preflight, the browser sends it and only hides the answer.
    fetch(target + '/api/relay/imagine', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body }),
    // JSON: needs a preflight the server never grants.
    fetch(target + '/api/relay/imagine', { method: 'POST', headers: { 'content-type': 'application/json' }, body }),
    fetch(target + '/api/v2/jobs', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: '{"workflow":{}}' }),
  ];
  const outcomes = await Promise.allSettled(tries);
  // And a plain HTML form, the oldest cross-site write there is.
  const html = document.createElement('form');
  html.method = 'POST';
  html.action = target + '/api/relay/imagine';
  html.enctype = 'text/plain';
  // A new frame each time: a frame that already refused the relay's answer shows an error page.
  const sink = 'sink-' + Math.random().toString(36).slice(2);
  html.target = sink;
  const field = document.createElement('input');
  field.name = '{"prompt":"form --steps 2","x":"';
  field.value = '"}';
  html.append(field);
  document.body.append(html);
  const frame = document.createElement('iframe');
  frame.name = sink;
  document.body.append(frame);
  html.submit();
  return outcomes.map((o) => o.status);
}`;

/**
 * How the page's form post ended, once it did: `answered <status>`, or `failed <error>` (a refused frame may
 * never fire load, so the page itself cannot tell).
 */
function formPost(page: Page): Promise<string> {
  return new Promise((resolve) => {
    const done = (request: Request, how: string) => {
      if (request.method() !== 'POST' || !request.isNavigationRequest()) return;
      page.off('requestfinished', finished);
      page.off('requestfailed', failed);
      resolve(how);
    };
    const finished = (r: Request) => void r.response().then((res) => done(r, `answered ${res?.status()}`));
    const failed = (r: Request) => done(r, `failed ${r.failure()?.errorText}`);
    page.on('requestfinished', finished);
    page.on('requestfailed', failed);
  });
}

/** Issue 12 #3 (cross-origin writes), in the Chromium that `browser` gives (one per test file). */
export function describeOriginAttack(browser: () => Browser): void {
  describe('issue 12 #3: a page on another origin, in Chromium, against a server without keys', () => {
    let h: Harness;
    let evil: Server;
    let evilPort: number;
    before(async () => {
      // Backends read every 10 s, not 500 ms: no test here is about backend health.
      h = await startHarness({ noKey: true, fake: { stepDelayMs: 300 }, refreshIntervalMs: 10_000 });
      evil = createServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end(`<!doctype html><title>cute cats</title><script>${ATTACK}</script>`);
      });
      await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
      evilPort = (evil.address() as AddressInfo).port;
    });
    after(async () => {
      evil?.close();
      await h.close();
    });

    const list = async (what: 'jobs' | 'assets') =>
      ((await (await fetch(`${h.url}/api/relay/${what}`)).json()) as Record<string, { state?: string }[]>)[
        what
      ]!;

    it('GIVEN a hostile page on another port or host name THEN none of its writes creates a job, while the page itself can', {
      timeout: 60_000,
    }, async () => {
      const page = await browser().newPage();
      const port = new URL(h.url).port;
      const victim = await fetch(`${h.url}/api/relay/imagine`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: 'the operator’s own job --steps 50' }),
      });
      assert.equal(victim.status, 202);
      const { id } = (await victim.json()) as { id: string };
      for (const origin of [`http://127.0.0.1:${evilPort}`, `http://localhost:${evilPort}`]) {
        await page.goto(`${origin}/`);
        for (const target of [h.url, `http://localhost:${port}`]) {
          const form = formPost(page);
          const outcomes = await page.evaluate(`attack(${JSON.stringify(target)}, ${JSON.stringify(id)})`);
          assert.equal((outcomes as string[]).length, 5);
          // The form's answer came back (Chromium then refuses to show it in the frame): it was sent.
          assert.match(await form, /^(answered \d+|failed net::ERR_BLOCKED_BY_RESPONSE)$/);
        }
      }
      const jobs = await list('jobs');
      assert.equal(jobs.length, 1, 'no job was created from another origin');
      assert.notEqual(jobs[0]!.state, 'canceled', 'nor was the operator’s job canceled');
      assert.equal((await list('assets')).length, 0, 'nor a file uploaded');
      await fetch(`${h.url}/api/relay/jobs/${id}/cancel`, { method: 'POST' });

      // The relay's own page, same origin: its fetch goes through.
      await page.goto(`${h.url}/`);
      const status = await page.evaluate(async () => {
        const res = await fetch('/api/relay/imagine', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ prompt: 'from the page --steps 2' }),
        });
        return res.status;
      });
      assert.equal(status, 202);
      assert.equal((await list('jobs')).length, 2);
      await page.close();
    });
  });
}
