import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ApiKeys } from '../../../src/core/keys/api-keys.ts';
import { scriptedClassifier } from '../../../src/core/safety/classifier.ts';
import { scoredVerdict } from '../../../src/core/safety/scores.ts';
import { MEDIA_TEMPLATE, workflowsCopy, writeMediaTemplate } from '../../helpers/media-workflow.ts';
import { type Harness, startHarness } from './harness.ts';

const ARTIFACTS = resolve(import.meta.dirname, '../../../test-artifacts');

/** What the page downloaded: each asset URL it fetched (path and query) with the type it got. */
function downloads(page: Page): Map<string, string> {
  const seen = new Map<string, string>();
  page.on('response', (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/api/v2/assets/'))
      seen.set(url.pathname + url.search, r.headers()['content-type'] ?? '');
  });
  return seen;
}

const srcOf = (page: Page, selector: string) => page.$eval(selector, (e) => (e as HTMLImageElement).src);

/** The page's blurred outputs, videos and audio, in the Chromium that `browser` gives (one per test file). */
export function describeOutputsPage(browser: () => Browser): void {
  describe('the web page in headless Chromium: blurred outputs, videos and audio', () => {
    let h: Harness;
    const dir = workflowsCopy('page-workflows-', ['sd15-txt2img.json', 'sd15-txt2img.manifest.yaml']);
    before(async () => {
      writeMediaTemplate(dir);
      h = await startHarness({
        fake: { stepDelayMs: 5 },
        // Backends read every 10 s, not 500 ms: no test here is about backend health.
        refreshIntervalMs: 10_000,
        // Unsafe outputs are spoilered by default here; keys of tier `careful` get at least `blur`.
        config: {
          workflowsDir: dir,
          safety: { action: 'spoiler' },
          quotas: {
            tiers: [{ name: 'careful', match: { apiKeyTier: 'careful' }, safety: { minimum: 'blur' } }],
          },
        },
        // Every PNG explicit (the default policy blurs it on the HTTP API); animations and videos neutral.
        safetyClassifier: scriptedClassifier((_, mime) =>
          scoredVerdict(mime === 'image/png' ? { porn: 0.95, neutral: 0.05 } : { neutral: 1 }),
        ),
      });
    });
    after(async () => {
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const open = async (template: string, prompt: string, key = h.key) => {
      const page = await browser().newPage({ viewport: { width: 420, height: 900 }, locale: 'en-US' });
      await page.addInitScript((k) => localStorage.setItem('comfyrelay.key', k), key);
      const got = downloads(page);
      await page.goto(h.url);
      await page.waitForFunction(
        (name) =>
          Array.from((document.querySelector('#template') as HTMLSelectElement).options).some(
            (o) => o.value === name,
          ),
        template,
      );
      await page.selectOption('#template', template);
      await page.fill('#prompt', prompt);
      await page.click('#go');
      return { page, got };
    };

    it('GIVEN an output the filter blurred THEN the page shows the blurred version and Reveal swaps in the original, Hide swaps back', async () => {
      const careful = await new ApiKeys(h.app.storage.keys).create({ name: 'careful', tier: 'careful' });
      const { page, got } = await open('sd15-txt2img', 'a lighthouse --steps 2 --seed 3', careful.key);
      await page.waitForSelector('#results button.reveal', { timeout: 15_000 });
      const [content] = [...got.keys()];
      assert.match(content ?? '', /^\/api\/v2\/assets\/[\w-]+\/content$/);
      assert.deepEqual([...got], [[content, 'image/jpeg']], 'only the blurred version is fetched at first');
      assert.match((await page.textContent('#results figure')) ?? '', /Blurred by the safety filter/);
      const blurredSrc = await srcOf(page, '#results img');
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'http-page-blurred.png'), fullPage: true });
      await page.click('#results button.reveal');
      await page.waitForFunction(
        () => document.querySelector('#results button.reveal')?.textContent === 'Hide',
      );
      assert.equal(got.get(`${content}?original=1`), 'image/png', 'Reveal fetched the original');
      assert.notEqual(await srcOf(page, '#results img'), blurredSrc);
      assert.equal(await page.getAttribute('#results button.reveal', 'aria-pressed'), 'true');
      await page.click('#results button.reveal');
      await page.waitForFunction(
        () => document.querySelector('#results button.reveal')?.textContent === 'Reveal',
      );
      assert.equal(await srcOf(page, '#results img'), blurredSrc, 'Hide shows the blurred version again');
      // The gallery of recent jobs shows it blurred too.
      await page.waitForSelector('#gallery button.reveal');
      assert.equal(await page.$eval('#gallery img', (e) => (e as HTMLImageElement).naturalWidth > 0), true);
      await page.close();
    });

    it('GIVEN an output the filter spoilered THEN the page shows it hidden behind a blur until Reveal', async () => {
      const { page } = await open('sd15-txt2img', 'a lighthouse --steps 2 --seed 4');
      await page.waitForSelector('#results button.reveal', { timeout: 15_000 });
      assert.match((await page.textContent('#results figure')) ?? '', /Hidden by the safety filter/);
      const filter = () => page.$eval('#results img', (e) => getComputedStyle(e).filter);
      assert.match(await filter(), /blur/);
      await page.click('#results button.reveal');
      await page.waitForFunction(
        () => document.querySelector('#results button.reveal')?.textContent === 'Hide',
      );
      assert.equal(await filter(), 'none');
      await page.close();
    });

    it('GIVEN a job saving an animation, two videos and audio THEN the page shows the animation and plays the videos and the audio', async () => {
      const { page } = await open(MEDIA_TEMPLATE, 'a fox');
      await page.waitForFunction(
        () => /Done/.test(document.querySelector('#status')?.textContent ?? ''),
        undefined,
        {
          timeout: 15_000,
        },
      );
      assert.equal(await page.locator('#results img').count(), 1, 'the animated WebP is an image');
      assert.equal(await page.locator('#results video').count(), 2, 'WebM and MP4 play in <video>');
      assert.equal(await page.locator('#results audio').count(), 1, 'FLAC plays in <audio>');
      assert.equal(await page.locator('#results button.reveal').count(), 0, 'nothing was blurred');
      const webm = page.locator('#results video').first();
      await page.waitForFunction((v) => (v as HTMLVideoElement).readyState >= 1, await webm.elementHandle());
      assert.equal(await webm.evaluate((v) => (v as HTMLVideoElement).videoWidth), 16, 'the WebM decodes');
      await page.close();
    });
  });
}
