import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { discordPlatform } from '../../../../src/adapters/discord/module.ts';
import { telegramPlatform } from '../../../../src/adapters/telegram/module.ts';
import { DEFAULT_LIMITS, quotaKey, resolveQuota } from '../../../../src/core/quota/quota-policy.ts';
import type { QuotaConfig, TierMatchFn } from '../../../../src/core/quota/types.ts';

const matchers = new Map<string, TierMatchFn>(
  [discordPlatform, telegramPlatform].map((p) => [p.name, p.tierMatch!.matches]),
);

const config: QuotaConfig = {
  defaults: { perWindow: 20 },
  tiers: [
    { name: 'admin', unlimited: true, match: { discordRoles: ['staff'] }, users: ['id:root'] },
    {
      name: 'patron',
      priority: 5,
      limits: { running: 2, perWindow: 100 },
      roles: ['tier:patron'],
      match: { discordRoles: ['patron', 'booster'] },
    },
    { name: 'chat-admin', limits: { waiting: 5 }, match: { telegramAdmins: true } },
    { name: 'pro-key', priority: 3, limits: { gpuSecondsPerWindow: 3600 }, apiKeyTiers: ['pro'] },
    { name: 'operator', unlimited: true, platforms: ['cli'] },
  ],
  matchers,
};

describe('resolveQuota', () => {
  it('GIVEN no matching tier THEN the defaults apply, merged over the built-in ones', () => {
    const q = resolveQuota(config, { platform: 'discord', userId: '1', roles: ['member'] });
    assert.equal(q.tier, 'default');
    assert.equal(q.unlimited, false);
    assert.deepEqual(q.limits, { ...DEFAULT_LIMITS, perWindow: 20 });
  });

  it('GIVEN a Discord role of a tier THEN that tier and its limits apply', () => {
    const q = resolveQuota(config, { platform: 'discord', userId: '1', roles: ['member', 'booster'] });
    assert.equal(q.tier, 'patron');
    assert.equal(q.priority, 5);
    assert.equal(q.limits.running, 2);
    assert.equal(q.limits.perWindow, 100);
    assert.equal(q.limits.waiting, DEFAULT_LIMITS.waiting);
  });

  it('GIVEN roles of two tiers THEN the first listed tier wins', () => {
    const q = resolveQuota(config, { platform: 'discord', userId: '1', roles: ['patron', 'staff'] });
    assert.equal(q.tier, 'admin');
    assert.equal(q.unlimited, true);
  });

  it("GIVEN a platform's match key THEN it applies to that platform's people only", () => {
    assert.equal(
      resolveQuota(config, { platform: 'telegram', userId: '9', isChatAdmin: true }).tier,
      'chat-admin',
    );
    assert.equal(
      resolveQuota(config, { platform: 'discord', userId: '9', isChatAdmin: true }).tier,
      'default',
    );
    assert.equal(
      resolveQuota(config, { platform: 'telegram', userId: '9', roles: ['booster'] }).tier,
      'default',
      'discordRoles do not match a Telegram requester',
    );
  });

  it('GIVEN no matcher for a platform THEN its match keys are ignored, the neutral rules still apply', () => {
    const bare: QuotaConfig = { ...config, matchers: undefined };
    assert.equal(
      resolveQuota(bare, { platform: 'discord', userId: '1', roles: ['booster'] }).tier,
      'default',
    );
    assert.equal(
      resolveQuota(bare, { platform: 'discord', userId: '1', roles: ['tier:patron'] }).tier,
      'patron',
    );
  });

  it('GIVEN a tier:<name> role on any platform THEN that tier applies', () => {
    for (const platform of ['discord', 'telegram', 'slack'])
      assert.equal(resolveQuota(config, { platform, userId: '2', roles: ['tier:patron'] }).tier, 'patron');
  });

  it('GIVEN an API key tier THEN the matching tier applies with its GPU budget', () => {
    const q = resolveQuota(config, { platform: 'http', userId: 'key1', apiKeyTier: 'pro' });
    assert.equal(q.tier, 'pro-key');
    assert.equal(q.limits.gpuSecondsPerWindow, 3600);
  });

  it('GIVEN a tier for a whole platform THEN everyone on it gets it', () => {
    assert.equal(resolveQuota(config, { platform: 'cli', userId: 'me' }).tier, 'operator');
  });

  it('GIVEN a linked identity THEN quotas key on it and an explicit user entry matches it', () => {
    const requester = { platform: 'telegram', userId: '5', identity: 'root', communityId: '-100' };
    assert.equal(quotaKey(requester), 'id:root');
    const q = resolveQuota(config, requester);
    assert.equal(q.tier, 'admin');
    assert.equal(q.communityKey, 'telegram:-100');
    assert.equal(quotaKey({ platform: 'cli', userId: 'me' }), 'cli:me');
  });
});
