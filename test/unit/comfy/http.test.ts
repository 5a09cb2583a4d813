import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MockAgent } from 'undici';
import { ComfyHttpError, ComfyUnreachableError } from '../../../src/comfy/errors.ts';
import { ComfyHttp, displayUrl } from '../../../src/comfy/http.ts';

describe('ComfyHttp', () => {
  it('GIVEN a backend behind a proxy path with a bearer token THEN requests carry both', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    let seen: Record<string, string> = {};
    agent
      .get('https://gpu.example:8443')
      .intercept({ path: '/comfy/system_stats', method: 'GET' })
      .reply(200, (opts) => {
        seen = opts.headers as Record<string, string>;
        return { system: { comfyui_version: '0.3.64' } };
      });
    const http = new ComfyHttp({
      baseUrl: 'https://gpu.example:8443/comfy/',
      auth: { bearer: 's3cret-token' },
      dispatcher: agent,
    });
    const stats = await http.getJson<{ system: { comfyui_version: string } }>('/system_stats');
    assert.equal(stats.system.comfyui_version, '0.3.64');
    assert.equal(seen.authorization, 'Bearer s3cret-token');
    await agent.close();
  });

  it('GIVEN credentials in the URL THEN they become Basic auth and never appear in names or errors', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    let auth = '';
    agent
      .get('http://gpu.local:8188')
      .intercept({ path: '/queue', method: 'GET' })
      .reply(500, (opts) => {
        auth = (opts.headers as Record<string, string>).authorization ?? '';
        return 'Server got itself in trouble';
      });
    const http = new ComfyHttp({ baseUrl: 'http://alice:pa55word@gpu.local:8188', dispatcher: agent });
    assert.equal(http.name, 'http://gpu.local:8188');
    await assert.rejects(http.getJson('/queue'), (e: unknown) => {
      assert.ok(e instanceof ComfyHttpError);
      assert.equal(e.status, 500);
      assert.doesNotMatch(e.message, /pa55word|alice/);
      return true;
    });
    assert.equal(auth, `Basic ${Buffer.from('alice:pa55word').toString('base64')}`);
    await agent.close();
  });

  it('GIVEN a backend that refuses connections THEN the error says unreachable without the token', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const http = new ComfyHttp({
      baseUrl: 'http://127.0.0.1:9/',
      auth: { bearer: 'never-print-me' },
      dispatcher: agent,
    });
    await assert.rejects(http.getJson('/queue'), (e: unknown) => {
      assert.ok(e instanceof ComfyUnreachableError);
      assert.doesNotMatch(e.message, /never-print-me/);
      return true;
    });
    await agent.close();
  });

  it('GIVEN URLs with secrets in the query THEN displayUrl drops them', () => {
    assert.equal(displayUrl('https://u:p@host:1/path?token=abc'), 'https://host:1/path');
  });
});
