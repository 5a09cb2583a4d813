import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { z } from 'zod';
import { formatConfigError, loadConfig } from '../../../src/config/index.ts';
import { type PlatformModule, tierMatch } from '../../../src/core/platforms/platform-module.ts';
import { toQuotaConfig } from '../../../src/core/quota/from-config.ts';
import { resolveQuota } from '../../../src/core/quota/quota-policy.ts';
import { PLATFORMS } from '../../../src/platforms.ts';

// A platform the core has never heard of, declared here the way an adapter's module.ts declares one.
const chirp: PlatformModule = {
  name: 'chirp',
  configSection: {
    key: 'chirp',
    schema: z.strictObject({
      token: z.string().min(1).optional(),
      flock: z.string().default('main'),
      maxChirps: z.number().int().min(1).default(3),
    }),
    env: [
      { names: ['COMFYRELAY_CHIRP_TOKEN', 'CHIRP_TOKEN'], path: ['token'], kind: 'string' },
      { names: ['COMFYRELAY_CHIRP_MAX'], path: ['maxChirps'], kind: 'number' },
    ],
  },
  tierMatch: tierMatch({ chirpBadges: z.array(z.string()) }, (match, requester) =>
    (requester.roles ?? []).some((badge) => match.chirpBadges?.includes(badge)),
  ),
  enabled: (config) => (config as unknown as { chirp: { token?: string } }).chirp.token !== undefined,
};
const platforms = [...PLATFORMS, chirp];

const dir = mkdtempSync(join(tmpdir(), 'comfyrelay-platform-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(yaml: string): string {
  const path = join(dir, `p${n++}.yaml`);
  writeFileSync(path, yaml);
  return path;
}

const yaml = `
chirp:
  flock: artists
quotas:
  tiers:
    - name: nestlings
      match: { chirpBadges: [egg] }
      perWindow: 2
    - name: patrons
      match: { discordRoles: ["111"] }
      perWindow: 50
  admins:
    chirp: [42]
`;

describe('a platform module the core does not know', () => {
  it('GIVEN its section, env var, admin list and tier key THEN loadConfig and resolveQuota honour them', () => {
    const r = loadConfig({
      file: file(yaml),
      env: { CHIRP_TOKEN: 'tweet', COMFYRELAY_CHIRP_ADMINS: '7 8' },
      cwd: dir,
      platforms,
    });
    assert.ok(r.ok, r.ok ? '' : formatConfigError(r.error));
    const section = (r.value as unknown as Record<string, unknown>)['chirp'];
    assert.deepEqual(section, { token: 'tweet', flock: 'artists', maxChirps: 3 });
    assert.equal(chirp.enabled?.(r.value), true);
    assert.deepEqual(r.value.quotas.admins['chirp'], ['7', '8'], 'the env list replaces the file list');

    const quotas = toQuotaConfig(r.value.quotas, platforms);
    const badge = resolveQuota(quotas, { platform: 'chirp', userId: '1', roles: ['egg'] });
    assert.equal(badge.tier, 'nestlings');
    assert.equal(badge.limits.perWindow, 2);
    assert.equal(resolveQuota(quotas, { platform: 'chirp', userId: '7' }).tier, 'admin');
    assert.equal(resolveQuota(quotas, { platform: 'chirp', userId: '42' }).tier, 'default');
    assert.equal(
      resolveQuota(quotas, { platform: 'chirp', userId: '1', roles: ['111'] }).tier,
      'default',
      "Discord's match key is Discord's own",
    );
    assert.equal(resolveQuota(quotas, { platform: 'discord', userId: '1', roles: ['egg'] }).tier, 'default');
    assert.equal(resolveQuota(quotas, { platform: 'discord', userId: '1', roles: ['111'] }).tier, 'patrons');
  });

  it('GIVEN bad values in its section or env THEN they are reported like any key, with the variable', () => {
    const r = loadConfig({
      file: file('chirp: { flok: x }\nquotas: { tiers: [{ name: a, match: {} }] }\n'),
      env: { COMFYRELAY_CHIRP_MAX: '0' },
      cwd: dir,
      platforms,
    });
    assert.ok(!r.ok);
    const text = formatConfigError(r.error);
    assert.match(text, /chirp\.flok: unknown key; did you mean “flock”\?/);
    assert.match(text, /chirp\.maxChirps: must be at least 1 \(got 0, from COMFYRELAY_CHIRP_MAX\)/);
    assert.match(text, /match: needs at least one of discordRoles, telegramAdmins, chirpBadges, apiKeyTier/);
  });

  it('GIVEN the platform is not registered THEN its section and keys are unknown', () => {
    const r = loadConfig({ file: file(yaml), env: {}, cwd: dir, platforms: PLATFORMS });
    assert.ok(!r.ok);
    const text = formatConfigError(r.error);
    assert.match(text, /• chirp: unknown key/);
    assert.match(text, /quotas\.tiers\[0\]\.match\.chirpBadges: unknown key/);
    assert.match(text, /quotas\.admins\.chirp: unknown key/);
  });

  it('GIVEN no platform at all THEN only the core keys exist', () => {
    const r = loadConfig({ file: file('discord: { token: x }\nhttp: { port: 1 }\n'), env: {}, cwd: dir });
    assert.ok(!r.ok);
    const text = formatConfigError(r.error);
    assert.match(text, /• discord: unknown key/);
    assert.match(text, /• http: unknown key/);
  });
});
