import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PLATFORMS } from '../../../src/platforms.ts';

const platformsUrl = new URL('../../../src/platforms.ts', import.meta.url).href;
const loadUrl = new URL('../../../src/config/index.ts', import.meta.url).href;

/** Every bare package a fresh process resolves while importing the descriptors and loading the config. */
function packagesLoadedByDescriptors(): string[] {
  const script = `
    import { registerHooks } from 'node:module';
    const seen = new Set();
    registerHooks({ resolve(specifier, context, next) {
      if (!/^[./]|^node:|^file:/.test(specifier)) seen.add(specifier);
      return next(specifier, context);
    } });
    const { PLATFORMS } = await import(${JSON.stringify(platformsUrl)});
    const { loadConfig } = await import(${JSON.stringify(loadUrl)});
    const r = loadConfig({ platforms: PLATFORMS, env: {}, cwd: ${JSON.stringify(fileURLToPath(new URL('.', import.meta.url)))} });
    if (!r.ok) throw new Error('config did not load');
    process.stdout.write(JSON.stringify([...seen]));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  return JSON.parse(out) as string[];
}

describe('platform descriptors', () => {
  it('GIVEN the descriptors and a config load THEN no adapter library is loaded (the CLI stays light)', () => {
    const loaded = packagesLoadedByDescriptors();
    assert.ok(loaded.includes('zod'), 'the hook sees packages (the check can fail)');
    for (const heavy of ['discord.js', 'telegraf', 'hono', '@hono/node-server', 'undici', 'sharp'])
      assert.ok(!loaded.includes(heavy), `${heavy} loaded: ${loaded.join(', ')}`);
  });

  it('GIVEN the shipped platforms THEN names, sections and match keys are unique', () => {
    const names = PLATFORMS.map((p) => p.name);
    const sections = PLATFORMS.flatMap((p) => (p.configSection ? [p.configSection.key] : []));
    const keys = PLATFORMS.flatMap((p) => Object.keys(p.tierMatch?.keys ?? {}));
    assert.deepEqual(names, ['http', 'discord', 'telegram']);
    assert.equal(new Set(sections).size, sections.length);
    assert.equal(new Set(keys).size, keys.length);
  });
});
