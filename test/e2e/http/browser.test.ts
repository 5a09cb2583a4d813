import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { waitFor } from '../../helpers/app.ts';
import { launchChromium } from '../../helpers/chromium.ts';
import { describeOriginAttack } from './browser-origin.ts';
import { describeOutputsPage } from './browser-outputs.ts';
import { type Harness, stallAtProgress, startHarness } from './harness.ts';

const ARTIFACTS = resolve(import.meta.dirname, '../../../test-artifacts');

// One Chromium for every page test (its start costs more than most of them): these, the outputs page's
// and the cross-origin attack's, each against its own relay.
let browser: Browser;
before(async () => {
  browser = await launchChromium(['--disable-quic', '--disable-component-update', '--disable-sync']);
});
after(async () => {
  await browser?.close();
});

describe('the web page in headless Chromium', () => {
  let h: Harness;
  before(async () => {
    // Short jobs, each held by a stalled fake ComfyUI while the page shows its progress. No test here is
    // about backend health: backends are read every 10 s, not 500 ms.
    h = await startHarness({ progressIntervalMs: 50, refreshIntervalMs: 10_000 });
  });
  after(async () => {
    await h.close();
  });

  it('GIVEN a key WHEN a prompt is generated THEN the progress bar moves and the image appears with its seed', async () => {
    const page = await browser.newPage({ viewport: { width: 420, height: 900 }, locale: 'en-US' });
    await page.goto(h.url);
    await page.fill('#key', h.key);
    await page.click('#save-key');
    await page.waitForFunction(
      () => (document.querySelector('#template') as HTMLSelectElement).options.length > 0,
    );
    await page.selectOption('#template', 'sd15-txt2img');
    await page.fill('#prompt', 'a lighthouse at dusk --steps 20 --seed 7');
    const stall = stallAtProgress(h);
    await page.click('#go');
    await stall.reached;
    await page.waitForFunction(() => {
      const v = (document.querySelector('#bar') as HTMLProgressElement).value;
      return v > 0 && v < 1;
    });
    stall.release();
    await page.waitForSelector('#results img', { timeout: 15_000 });
    await page.waitForFunction(() => /seed 7/.test(document.querySelector('#status')?.textContent ?? ''));
    await page.waitForSelector('#gallery img');
    const natural = await page.$eval('#results img', (img) => (img as HTMLImageElement).naturalWidth);
    assert.ok(natural > 0);
    assert.equal(await page.evaluate(() => localStorage.getItem('comfyrelay.key')), h.key);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'http-page.png'), fullPage: true });
  });

  it('GIVEN a Chinese browser THEN the page speaks Chinese, and cancel works', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 420, height: 900 } });
    const page = await context.newPage();
    await page.addInitScript((key) => localStorage.setItem('comfyrelay.key', key), h.key);
    await page.goto(h.url);
    assert.equal(await page.textContent('#go'), '生成');
    await page.waitForFunction(
      () => (document.querySelector('#template') as HTMLSelectElement).options.length > 0,
    );
    await page.selectOption('#template', 'sd15-txt2img');
    await page.fill('#prompt', '灯塔 --steps 40');
    const stall = stallAtProgress(h);
    await page.click('#go');
    await stall.reached;
    await page.waitForFunction(() => (document.querySelector('#bar') as HTMLProgressElement).value > 0);
    await page.click('#cancel');
    // The job goes on only once the relay asked ComfyUI to stop it: it cannot finish first.
    const { interrupts } = h.fakes[0]!;
    await waitFor(() => interrupts.global + interrupts.byPromptId.length > 0);
    stall.release();
    await page.waitForFunction(
      () => document.querySelector('#status')?.textContent === '已取消。',
      undefined,
      { timeout: 15_000 },
    );
    await page.screenshot({ path: join(ARTIFACTS, 'http-page-zh.png'), fullPage: true });
    await context.close();
  });
});

describeOutputsPage(() => browser);
describeOriginAttack(() => browser);
