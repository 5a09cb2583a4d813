import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import {
  type Config,
  type ConfigError,
  formatConfigError,
  type LoadOptions,
  loadConfig as loadWith,
} from '../../../src/config/index.ts';
import { PLATFORMS } from '../../../src/platforms.ts';

/** The server's loading: every shipped platform's section, env vars and tier match keys. */
const loadConfig = (options: LoadOptions) => loadWith({ platforms: PLATFORMS, ...options });

const dir = mkdtempSync(join(tmpdir(), 'comfyrelay-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(yaml: string): string {
  const path = join(dir, `c${n++}.yaml`);
  writeFileSync(path, yaml);
  return path;
}

function load(yaml: string | undefined, env: Record<string, string> = {}): Config {
  const r = loadConfig({ ...(yaml === undefined ? {} : { file: file(yaml) }), env, cwd: dir });
  assert.ok(r.ok, r.ok ? '' : formatConfigError(r.error));
  return r.value;
}

function fail(yaml: string, env: Record<string, string> = {}): { error: ConfigError; text: string } {
  const r = loadConfig({ file: file(yaml), env, cwd: dir });
  assert.ok(!r.ok, 'expected an error');
  return { error: r.error, text: formatConfigError(r.error) };
}

describe('loadConfig: defaults', () => {
  it('GIVEN no file and no env THEN every default applies', () => {
    const c = load(undefined);
    assert.deepEqual(c.backends, [
      {
        name: 'local',
        kind: 'comfyui',
        url: 'http://127.0.0.1:8188',
        weight: 1,
        tags: [],
        headers: {},
        maxQueued: 1,
        slots: 1,
      },
    ]);
    assert.equal(c.http.host, '127.0.0.1');
    assert.equal(c.http.port, 8787);
    assert.equal(c.http.allowPrivateUrls, false);
    assert.deepEqual(c.quotas.defaults, { running: 1, waiting: 3, perWindow: 30, windowSeconds: 86400 });
    assert.deepEqual(c.jobs, { maxAttempts: 3, waitForBackendSeconds: 300, idleEventSeconds: 15 });
    assert.equal(c.progress.intervalMs, 1000);
    assert.deepEqual(c.discord.messageCommands, { enabled: false, prefix: '!imagine' });
    assert.equal(c.discord.previews, true);
    assert.equal(c.telegram.privateChatPlainText, true);
    assert.equal(c.telegram.sendOriginalsAsDocuments, false);
    assert.equal(c.logLevel, 'info');
    assert.equal(c.locale, 'en');
    assert.equal(c.dataDir, join(dir, 'data'));
    assert.equal(c.workflowsDir, join(dir, 'workflows'));
  });

  it('GIVEN an empty file THEN defaults apply', () => {
    assert.equal(load('# nothing yet\n').http.port, 8787);
  });

  it('GIVEN comfyrelay.config.yaml in cwd THEN it is read without being named', () => {
    const cwd = mkdtempSync(join(dir, 'cwd-'));
    writeFileSync(join(cwd, 'comfyrelay.config.yaml'), 'http: { port: 9000 }\n');
    const r = loadConfig({ env: {}, cwd });
    assert.ok(r.ok);
    assert.equal(r.value.http.port, 9000);
  });

  it('GIVEN COMFYRELAY_CONFIG THEN that file is read; a missing one is an error', () => {
    const path = file('logLevel: debug\n');
    const r = loadConfig({ env: { COMFYRELAY_CONFIG: path }, cwd: dir });
    assert.ok(r.ok && r.value.logLevel === 'debug');
    const missing = loadConfig({ env: { COMFYRELAY_CONFIG: join(dir, 'nope.yaml') }, cwd: dir });
    assert.ok(!missing.ok && missing.error.kind === 'unreadable');
    assert.match(formatConfigError(missing.error), /nope\.yaml: ENOENT/);
  });
});

describe('loadConfig: file and environment', () => {
  const yaml = `
backends:
  - name: gpu1
    url: http://10.0.0.5:8188/
    weight: 2
    tags: [sdxl, flux]
    auth: { bearer: file-bearer-secret }
  - url: https://gpu2.example.com
discord:
  token: file-discord-token
  guildId: 123456789012345678
http: { port: 9000, host: 0.0.0.0 }
dataDir: ./state
quotas:
  tiers:
    - name: patrons
      match: { discordRoles: ['111'] }
      running: 2
      priority: 10
  admins: { telegram: [12345] }
`;

  it('GIVEN a file THEN its values are used and derived names/normalised URLs filled', () => {
    const c = load(yaml);
    assert.equal(c.backends[0]?.url, 'http://10.0.0.5:8188');
    assert.equal(c.backends[0]?.weight, 2);
    assert.deepEqual(c.backends[0]?.auth, { bearer: 'file-bearer-secret' });
    assert.equal(c.backends[1]?.name, 'comfyui-2');
    assert.equal(c.discord.guildId, '123456789012345678', 'a long unquoted id keeps every digit');
    assert.deepEqual(c.quotas.admins.telegram, ['12345']);
    assert.equal(c.quotas.tiers[0]?.running, 2);
    assert.equal(c.http.host, '0.0.0.0');
    assert.ok(c.dataDir.endsWith('/state'));
  });

  it('GIVEN env variables THEN they override the file (prefixed names over bare ones)', () => {
    const c = load(yaml, {
      DISCORD_TOKEN: 'bare-token',
      COMFYRELAY_DISCORD_TOKEN: 'prefixed-token',
      TELEGRAM_BOT_TOKEN: '123:abc',
      COMFYRELAY_HTTP_PORT: '9100',
      COMFYRELAY_LOG_LEVEL: 'warn',
      COMFY_ORG_API_KEY: 'comfy-key',
      COMFYRELAY_REDIS_URL: 'redis://localhost:6379',
      COMFYRELAY_DATA_DIR: 'env-data',
    });
    assert.equal(c.discord.token, 'prefixed-token');
    assert.equal(c.telegram.token, '123:abc');
    assert.equal(c.http.port, 9100);
    assert.equal(c.http.host, '0.0.0.0', 'untouched keys keep the file value');
    assert.equal(c.logLevel, 'warn');
    assert.equal(c.comfyOrgApiKey, 'comfy-key');
    assert.equal(c.storage.redisUrl, 'redis://localhost:6379');
    assert.equal(c.dataDir, join(dir, 'env-data'), 'env paths are relative to cwd');
  });

  it('GIVEN empty env values THEN they are ignored', () => {
    assert.equal(load(yaml, { DISCORD_TOKEN: '', COMFYRELAY_HTTP_PORT: ' ' }).http.port, 9000);
  });

  it('GIVEN COMFYUI_URL with several backends THEN it replaces the list (name=url allowed)', () => {
    const c = load(yaml, { COMFYUI_URL: 'http://a:8188, gpu-b=https://b.example.com/\n http://c:8188' });
    assert.deepEqual(
      c.backends.map((b) => [b.name, b.url]),
      [
        ['comfyui-1', 'http://a:8188'],
        ['gpu-b', 'https://b.example.com'],
        ['comfyui-3', 'http://c:8188'],
      ],
    );
  });

  it('GIVEN admin lists in env THEN they are split on commas and spaces', () => {
    const c = load(undefined, { COMFYRELAY_DISCORD_ADMINS: '111, 222 333', COMFYRELAY_TELEGRAM_ADMINS: '9' });
    assert.deepEqual(c.quotas.admins.discord, ['111', '222', '333']);
    assert.deepEqual(c.quotas.admins.telegram, ['9']);
  });
});

describe('loadConfig: bad values', () => {
  it('GIVEN a negative port THEN names http.port, the value and the bound', () => {
    const { text } = fail('http: { port: -1 }\n');
    assert.match(text, /http\.port: must be at least 0 \(got -1\)/);
  });

  it('GIVEN a bad port from the environment THEN names the variable', () => {
    const { text } = fail('{}\n', { COMFYRELAY_HTTP_PORT: '70000' });
    assert.match(text, /http\.port: must be at most 65535 \(got 70000, from COMFYRELAY_HTTP_PORT\)/);
    assert.match(fail('{}\n', { COMFYRELAY_HTTP_PORT: 'abc' }).text, /expected number \(got "abc"/);
  });

  it('GIVEN url: ftp://x THEN says http(s) is expected', () => {
    const { text } = fail('backends: [{ url: "ftp://x" }]\n');
    assert.match(text, /backends\[0\]\.url: must be an http:\/\/ or https:\/\/ URL \(got "ftp:\/\/x"\)/);
  });

  it("GIVEN weight: 'abc' THEN expected number", () => {
    const { text } = fail('backends: [{ url: "http://x", weight: abc }]\n');
    assert.match(text, /backends\[0\]\.weight: expected number \(got "abc"\)/);
  });

  it('GIVEN unknown keys THEN names them and suggests the nearest', () => {
    const { text } = fail('backend: []\ndiscord: { tokn: "secret-in-typo" }\n');
    assert.match(text, /• backend: unknown key; did you mean “backends”\?/);
    assert.match(text, /• discord\.tokn: unknown key; did you mean “token”\?/);
    assert.doesNotMatch(text, /secret-in-typo/);
  });

  it('GIVEN several problems THEN all are listed, one per line, under a header naming the file', () => {
    const { error, text } = fail('http: { port: -1 }\nlogLevel: loud\njobs: { maxAttempts: 0 }\n');
    assert.equal(error.kind, 'invalid');
    assert.equal(text.split('\n').length, 4);
    assert.match(text, /^The configuration is not valid \(.*c\d+\.yaml and the environment\):/);
    assert.match(text, /logLevel: must be one of: fatal, error, warn, info, debug, trace, silent/);
  });

  it('GIVEN secrets with bad values THEN they never appear in the message', () => {
    const secret = 'MTIzNDU2Nzg5.very-secret-token';
    const cases: [string, Record<string, string>][] = [
      ['discord: { token: 12345678 }\n', {}],
      ['{}\n', { COMFYRELAY_DISCORD_APPLICATION_ID: secret, DISCORD_TOKEN: secret }],
      [`backends: [{ url: "ftp://user:${secret}@x" }]\n`, {}],
      [`backends: [{ url: "http://x", auth: { bearer: "${secret}", basic: 1 } }]\n`, {}],
      [`telegram: { webhook: { url: "http://x", secretToken: "${secret}!" } }\n`, {}],
      [`storage: { redisUrl: "http://:${secret}@r" }\n`, {}],
    ];
    for (const [yaml, env] of cases) {
      const { text } = fail(yaml, env);
      assert.doesNotMatch(text, /very-secret-token|12345678/, text);
    }
    assert.match(
      fail('discord: { token: 12345678 }\n').text,
      /discord\.token: expected string \(got \*\*\*\)/,
    );
  });

  it("GIVEN a tier without any match THEN says what a match needs, the platforms' keys included", () => {
    const { text } = fail('quotas: { tiers: [{ name: a, match: {} }] }\n');
    assert.match(
      text,
      /quotas\.tiers\[0\]\.match: needs at least one of discordRoles, telegramAdmins, apiKeyTier/,
    );
  });

  it('GIVEN a typo in a tier match key or an admin list THEN suggests the platform key', () => {
    const { text } = fail(
      'quotas: { tiers: [{ name: a, match: { discordRole: ["1"] } }], admins: { telegarm: [1] } }\n',
    );
    assert.match(text, /quotas\.tiers\[0\]\.match\.discordRole: unknown key; did you mean “discordRoles”\?/);
    assert.match(text, /quotas\.admins\.telegarm: unknown key; did you mean “telegram”\?/);
  });

  it('GIVEN duplicate backend names or none at all THEN errors', () => {
    assert.match(fail('backends: [{name: a, url: "http://x"}, {name: a, url: "http://y"}]\n').text, /unique/);
    assert.match(fail('backends: []\n').text, /backends: needs at least 1 entry/);
  });

  it('GIVEN broken YAML or a list THEN says so with the position', () => {
    const { error, text } = fail('http:\n  port: [1\n');
    assert.equal(error.kind, 'syntax');
    assert.match(text, /not valid YAML \(line \d+, column \d+\)/);
    assert.equal(fail('- a\n- b\n').error.kind, 'not_mapping');
  });

  it('GIVEN zh THEN the message is in Chinese', () => {
    const { error } = fail('http: { port: -1 }\n');
    assert.match(formatConfigError(error, 'zh'), /配置无效[\s\S]*http\.port: 不能小于 0（实际为 -1）/);
  });
});

describe('comfyrelay.config.example.yaml', () => {
  it('GIVEN the shipped example THEN it loads and equals the defaults', () => {
    const example = fileURLToPath(new URL('../../../comfyrelay.config.example.yaml', import.meta.url));
    const r = loadConfig({ file: example, env: {}, cwd: dir });
    assert.ok(r.ok, r.ok ? '' : formatConfigError(r.error));
    const defaults = load(undefined);
    assert.deepEqual(
      { ...r.value, workflowsDir: '', dataDir: '' },
      { ...defaults, workflowsDir: '', dataDir: '' },
    );
  });
});
