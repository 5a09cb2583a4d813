import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_LIMITS, quotaKey, resolveQuota } from '../../../../src/core/quota/quota-policy.ts';
import type { QuotaConfig } from '../../../../src/core/quota/types.ts';

const config: QuotaConfig = {
  defaults: { perWindow: 20 },
  tiers: [
    { name: 'admin', unlimited: true, discordRoles: ['staff'], users: ['id:root'] },
    {
      name: 'patron',
      priority: 5,
      limits: { running: 2, perWindow: 100 },
      discordRoles: ['patron', 'booster'],
    },
    { name: 'chat-admin', limits: { waiting: 5 }, telegramChatAdmin: true },
    { name: 'pro-key', priority: 3, limits: { gpuSecondsPerWindow: 3600 }, apiKeyTiers: ['pro'] },
  ],
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

  it('GIVEN a Telegram chat admin THEN the chat-admin tier applies, but not to a Discord user', () => {
    assert.equal(
      resolveQuota(config, { platform: 'telegram', userId: '9', isChatAdmin: true }).tier,
      'chat-admin',
    );
    assert.equal(
      resolveQuota(config, { platform: 'discord', userId: '9', isChatAdmin: true }).tier,
      'default',
    );
  });

  it('GIVEN an API key tier THEN the matching tier applies with its GPU budget', () => {
    const q = resolveQuota(config, { platform: 'http', userId: 'key1', apiKeyTier: 'pro' });
    assert.equal(q.tier, 'pro-key');
    assert.equal(q.limits.gpuSecondsPerWindow, 3600);
  });

  it('GIVEN a linked identity THEN quotas key on it and an explicit user entry matches it', () => {
    const requester = { platform: 'telegram' as const, userId: '5', identity: 'root', communityId: '-100' };
    assert.equal(quotaKey(requester), 'id:root');
    const q = resolveQuota(config, requester);
    assert.equal(q.tier, 'admin');
    assert.equal(q.communityKey, 'telegram:-100');
    assert.equal(quotaKey({ platform: 'cli', userId: 'me' }), 'cli:me');
  });
});
