import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger, scrubSecrets } from '../../../src/core/logger.ts';

describe('logs never carry secrets', () => {
  it('GIVEN objects holding tokens, keys and auth headers THEN the log line has *** instead', async () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        out += String(chunk);
        done();
      },
    });
    const log = createLogger({ level: 'info', destination: sink });
    log.info(
      {
        token: 'MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs',
        discord: { token: 'discord-secret-token' },
        backend: { headers: { authorization: 'Bearer proxy-secret' } },
        extra_data: { api_key_comfy_org: 'comfy-org-secret' },
        comfyOrgApiKey: 'comfy-org-secret-2',
      },
      'config loaded',
    );
    await new Promise((r) => setImmediate(r));
    for (const secret of ['MTk4NjIy', 'discord-secret-token', 'proxy-secret', 'comfy-org-secret']) {
      assert.ok(!out.includes(secret), `${secret} leaked: ${out}`);
    }
    assert.match(out, /\*\*\*/);
  });

  it('GIVEN error text with a bot token or bearer credential THEN scrubSecrets removes it', () => {
    const text = scrubSecrets(
      'GET https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe failed; Authorization: Bearer abcdefghijkl; url?token=xyz',
    );
    assert.doesNotMatch(text, /AAHdqTcv|abcdefghijkl|xyz/);
  });
});
