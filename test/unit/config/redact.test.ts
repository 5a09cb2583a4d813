import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig, redactConfig } from '../../../src/config/index.ts';
import { PLATFORMS } from '../../../src/platforms.ts';

describe('redactConfig', () => {
  it('GIVEN tokens, keys, passwords, auth headers and URL credentials THEN all become ***', () => {
    const r = loadConfig({
      platforms: PLATFORMS,
      env: {
        DISCORD_TOKEN: 'discord-secret',
        TELEGRAM_BOT_TOKEN: 'tg-secret',
        COMFY_ORG_API_KEY: 'comfy-secret',
        COMFYRELAY_METRICS_KEY: 'metrics-secret',
        COMFYRELAY_REDIS_URL: 'redis://user:redis-secret@localhost:6379',
        COMFYUI_URL: 'http://u:url-secret@gpu:8188',
      },
      cwd: '/tmp/none',
    });
    assert.ok(r.ok);
    const safe = redactConfig(r.value);
    const text = JSON.stringify(safe);
    assert.doesNotMatch(text, /secret/);
    assert.equal(safe.discord.token, '***');
    assert.equal(safe.storage.redisUrl, 'redis://***@localhost:6379');
    assert.equal(safe.backends[0]?.url, 'http://***@gpu:8188');
    assert.equal(safe.http.port, 8787, 'other values stay');
    assert.equal(r.value.discord.token, 'discord-secret', 'the original is not changed');
  });

  it('GIVEN backend auth and headers THEN their values are hidden, names kept', () => {
    const safe = redactConfig({
      backends: [
        { headers: { Authorization: 'Bearer x1' }, auth: { basic: { username: 'u', password: 'p' } } },
      ],
    });
    assert.deepEqual(safe, {
      backends: [
        { headers: { Authorization: '***' }, auth: { basic: { username: '***', password: '***' } } },
      ],
    });
  });
});
