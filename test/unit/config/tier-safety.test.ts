import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tierSafetyMinimum } from '../../../src/adapters/http/output-safety.ts';
import { buildConfigSchema } from '../../../src/config/index.ts';
import { PLATFORMS } from '../../../src/platforms.ts';

const schema = buildConfigSchema(PLATFORMS);
const withTiers = (tiers: unknown[]) => schema.safeParse({ quotas: { tiers } });

test('GIVEN a tier with safety.minimum blur or block THEN the config takes it; allow, spoiler or a typo are errors', () => {
  for (const minimum of ['blur', 'block']) {
    const parsed = withTiers([{ name: 'kids', match: { apiKeyTier: 'kids' }, safety: { minimum } }]);
    assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
    assert.deepEqual(parsed.data.quotas.tiers[0]?.safety, { minimum });
  }
  for (const safety of [{ minimum: 'allow' }, { minimum: 'spoiler' }, { minimun: 'block' }]) {
    assert.equal(withTiers([{ name: 'kids', match: { apiKeyTier: 'kids' }, safety }]).success, false);
  }
});

test('GIVEN several tiers naming one API key tier THEN the strictest floor wins; other tiers and keys without a tier get none', () => {
  const tiers = [
    { match: { apiKeyTier: 'school' }, safety: { minimum: 'blur' as const } },
    { match: { apiKeyTier: 'school' }, safety: { minimum: 'block' as const } },
    { match: { apiKeyTier: 'pro' } },
    { match: { discordRoles: ['1'] }, safety: { minimum: 'block' as const } },
  ];
  assert.equal(tierSafetyMinimum(tiers, 'school'), 'block');
  assert.equal(tierSafetyMinimum(tiers.slice(0, 1), 'school'), 'blur');
  assert.equal(tierSafetyMinimum(tiers, 'pro'), undefined);
  assert.equal(tierSafetyMinimum(tiers, undefined), undefined);
});
