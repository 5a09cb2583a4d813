import { type Browser, chromium } from 'playwright-core';
import { chromiumPath } from './test-deps.ts';

/**
 * Headless Chromium for the page tests, plus `extraArgs`. Playwright gives each launch a fresh temporary
 * profile (it refuses --user-data-dir here).
 */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('Chromium not found on PATH: install chromium or set CHROMIUM_PATH');
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      ...extraArgs,
    ],
  });
}
