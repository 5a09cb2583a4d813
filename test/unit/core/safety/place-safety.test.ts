import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_SAFETY_SETTINGS as D,
  resolvePlaceSafety,
  type SafetyOverrides,
  withChannelAction,
} from '../../../../src/core/safety/index.ts';

const ordinary = { ageRestricted: false };

describe('resolvePlaceSafety', () => {
  it('GIVEN the defaults in an ordinary channel THEN unsafe images are blurred and unknown counts as unsafe', () => {
    const p = resolvePlaceSafety(D, undefined, { ...ordinary, channelId: 'c1' });
    assert.deepEqual(p, {
      enabled: true,
      action: 'blur',
      unknown: 'unsafe',
      unclassifiable: 'spoiler',
      thresholds: D.thresholds,
      adult: false,
    });
  });

  it('GIVEN an API tier minimum of blur or block THEN a video is withheld whatever safety.unclassifiable says', () => {
    const allowVideos = { ...D, unclassifiable: 'allow' as const };
    assert.equal(resolvePlaceSafety(allowVideos, undefined, ordinary).unclassifiable, 'allow');
    assert.equal(
      resolvePlaceSafety(allowVideos, undefined, { ...ordinary, minimum: 'spoiler' }).unclassifiable,
      'allow',
    );
    assert.equal(
      resolvePlaceSafety(allowVideos, undefined, { ...ordinary, minimum: 'blur' }).unclassifiable,
      'block',
    );
    assert.equal(
      resolvePlaceSafety(D, undefined, { ageRestricted: true, minimum: 'block' }).unclassifiable,
      'block',
    );
  });

  it('GIVEN an age-restricted channel THEN allowed, and unknown counts as safe', () => {
    const p = resolvePlaceSafety(D, { action: 'block' }, { ageRestricted: true, channelId: 'c1' });
    assert.equal(p.action, 'allow');
    assert.equal(p.unknown, 'safe');
    assert.equal(p.adult, true);
  });

  it('GIVEN a chat an admin marked adult THEN allowed like an age-restricted channel', () => {
    const p = resolvePlaceSafety(D, { adult: true }, ordinary);
    assert.equal(p.action, 'allow');
    assert.equal(p.adult, true);
  });

  it('GIVEN a community action THEN it replaces the default in ordinary channels only', () => {
    assert.equal(resolvePlaceSafety(D, { action: 'block' }, ordinary).action, 'block');
    assert.equal(resolvePlaceSafety(D, { action: 'block' }, { ageRestricted: true }).action, 'allow');
  });

  it('GIVEN a channel setting THEN it wins over the community and the adult default, for that channel only', () => {
    const o: SafetyOverrides = { action: 'block', channels: { memes: 'spoiler', nsfw: 'blur' } };
    assert.equal(resolvePlaceSafety(D, o, { ...ordinary, channelId: 'memes' }).action, 'spoiler');
    assert.equal(resolvePlaceSafety(D, o, { ageRestricted: true, channelId: 'nsfw' }).action, 'blur');
    assert.equal(resolvePlaceSafety(D, o, { ...ordinary, channelId: 'other' }).action, 'block');
  });

  it('GIVEN an API tier minimum THEN no setting goes under it, a stricter one stays', () => {
    assert.equal(resolvePlaceSafety(D, undefined, { ageRestricted: true, minimum: 'blur' }).action, 'blur');
    assert.equal(
      resolvePlaceSafety(D, { action: 'block' }, { ...ordinary, minimum: 'spoiler' }).action,
      'block',
    );
  });

  it('GIVEN private chats THEN ordinary unless the operator counts them as adult', () => {
    assert.equal(resolvePlaceSafety(D, undefined, { ...ordinary, privateChat: true }).action, 'blur');
    const s = { ...D, privateChatsAdult: true };
    assert.equal(resolvePlaceSafety(s, undefined, { ...ordinary, privateChat: true }).action, 'allow');
  });

  it('GIVEN the unknown rule set to unsafe or safe THEN it holds in every place', () => {
    assert.equal(
      resolvePlaceSafety({ ...D, unknown: 'unsafe' }, undefined, { ageRestricted: true }).unknown,
      'unsafe',
    );
    assert.equal(resolvePlaceSafety(D, { unknown: 'safe' }, ordinary).unknown, 'safe');
  });

  it('GIVEN thresholds set by a community THEN they replace only the values given', () => {
    const p = resolvePlaceSafety(D, { thresholds: { suggestive: 0.5 } }, ordinary);
    assert.deepEqual(p.thresholds, { explicit: D.thresholds.explicit, suggestive: 0.5 });
  });

  it('GIVEN safety disabled by the operator THEN the resolved place is disabled', () => {
    assert.equal(resolvePlaceSafety({ ...D, enabled: false }, undefined, ordinary).enabled, false);
  });
});

describe('withChannelAction', () => {
  it('GIVEN a channel set then cleared THEN the other settings are kept', () => {
    const set = withChannelAction({ action: 'block', channels: { a: 'allow' } }, 'b', 'spoiler');
    assert.deepEqual(set, { action: 'block', channels: { a: 'allow', b: 'spoiler' } });
    assert.deepEqual(withChannelAction(set, 'a', undefined), { action: 'block', channels: { b: 'spoiler' } });
  });
});
