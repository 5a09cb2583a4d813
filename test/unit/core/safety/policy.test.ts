import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_THRESHOLDS,
  decide,
  type PlaceSafety,
  previewMode,
  SAFETY_ACTIONS,
  type SafetyVerdict,
  scoredVerdict,
  stricter,
  type UnknownTreatment,
  unknownVerdict,
  unsafeRule,
} from '../../../../src/core/safety/index.ts';

const place = (over: Partial<PlaceSafety>): PlaceSafety => ({
  enabled: true,
  action: 'blur',
  unknown: 'unsafe',
  thresholds: DEFAULT_THRESHOLDS,
  adult: false,
  ...over,
});

const verdicts: Record<string, SafetyVerdict> = {
  neutral: scoredVerdict({ neutral: 0.9 }),
  explicit: scoredVerdict({ porn: 0.7 }),
  explicitSplit: scoredVerdict({ porn: 0.3, hentai: 0.3 }),
  suggestive: scoredVerdict({ sexy: 0.85 }),
  timeout: unknownVerdict('timeout'),
  failed: unknownVerdict('failed', 'boom'),
  video: unknownVerdict('unsupported', 'video/mp4'),
};
/** What each verdict is, independent of the code under test: unsafe by scores, unknown, or safe. */
const kindOf: Record<string, 'unsafe' | 'unknown' | 'safe'> = {
  neutral: 'safe',
  explicit: 'unsafe',
  explicitSplit: 'unsafe',
  suggestive: 'unsafe',
  timeout: 'unknown',
  failed: 'unknown',
  video: 'unknown',
};

describe('decide', () => {
  for (const action of SAFETY_ACTIONS) {
    for (const unknown of ['unsafe', 'safe'] as UnknownTreatment[]) {
      for (const [name, verdict] of Object.entries(verdicts)) {
        const k = kindOf[name];
        const unsafe = k === 'unsafe' || (k === 'unknown' && unknown === 'unsafe');
        // A video cannot be blurred: without an `unclassifiable` rule in the place, it is blocked.
        const expected = !unsafe ? 'allow' : name === 'video' && action === 'blur' ? 'block' : action;
        it(`GIVEN policy ${action}, unknown counted ${unknown}, a ${name} verdict THEN ${expected}`, () => {
          assert.equal(decide(verdict, place({ action, unknown })), expected);
        });
      }
    }
  }

  it('GIVEN the safety check disabled in a place THEN everything is allowed, even an explicit image', () => {
    for (const verdict of Object.values(verdicts)) {
      assert.equal(decide(verdict, place({ enabled: false, action: 'block' })), 'allow');
    }
  });
});

describe('videos (the classifier cannot read them)', () => {
  const video = verdicts.video!;
  for (const unclassifiable of ['allow', 'spoiler', 'block'] as const) {
    it(`GIVEN unclassifiable ${unclassifiable} where unsafe images are blurred THEN a video gets ${unclassifiable}`, () => {
      assert.equal(decide(video, place({ action: 'blur', unclassifiable })), unclassifiable);
    });
  }

  it('GIVEN a place that spoilers, blocks or allows unsafe images THEN a video gets the same, whatever unclassifiable says', () => {
    for (const action of ['allow', 'spoiler', 'block'] as const) {
      assert.equal(decide(video, place({ action, unclassifiable: 'allow' })), action);
      assert.equal(decide(video, place({ action, unclassifiable: 'block' })), action);
    }
  });

  it('GIVEN an adult place (unknown counts as safe) THEN a video is posted', () => {
    assert.equal(decide(video, place({ action: 'blur', unknown: 'safe', unclassifiable: 'block' })), 'allow');
  });

  it('GIVEN an image the classifier failed on or timed out on THEN it is blurred, not treated as a video', () => {
    for (const v of [verdicts.timeout!, verdicts.failed!]) {
      assert.equal(decide(v, place({ action: 'blur', unclassifiable: 'allow' })), 'blur');
    }
  });
});

describe('unsafeRule thresholds', () => {
  const t = { explicit: 0.6, suggestive: 0.8 };
  it('GIVEN porn + hentai exactly at the threshold THEN explicit; just below THEN not', () => {
    assert.equal(unsafeRule(scoredVerdict({ porn: 0.35, hentai: 0.25, sexy: 0 }), t, 'unsafe'), 'explicit');
    assert.equal(unsafeRule(scoredVerdict({ porn: 0.35, hentai: 0.24, sexy: 0 }), t, 'unsafe'), 'none');
  });
  it('GIVEN sexy at the threshold THEN suggestive; below THEN not', () => {
    assert.equal(unsafeRule(scoredVerdict({ sexy: 0.8, porn: 0, hentai: 0 }), t, 'unsafe'), 'suggestive');
    assert.equal(unsafeRule(scoredVerdict({ sexy: 0.79, porn: 0, hentai: 0 }), t, 'unsafe'), 'none');
  });
  it('GIVEN both rules trip THEN explicit is the reason given', () => {
    assert.equal(
      unsafeRule(scoredVerdict({ sexy: 0.3, porn: 0.7 }), { explicit: 0.5, suggestive: 0.2 }, 'safe'),
      'explicit',
    );
  });
  it('GIVEN an unknown verdict THEN the rule is unknown only where unknown counts as unsafe', () => {
    assert.equal(unsafeRule(verdicts.timeout!, t, 'unsafe'), 'unknown');
    assert.equal(unsafeRule(verdicts.timeout!, t, 'safe'), 'none');
  });
});

describe('previews and strictness', () => {
  it('GIVEN each action THEN previews are shown, blurred or off as the final image would be', () => {
    assert.deepEqual(
      SAFETY_ACTIONS.map((action) => previewMode(place({ action }))),
      ['allowed', 'blurred', 'blurred', 'off'],
    );
    assert.equal(previewMode(place({ action: 'block', enabled: false })), 'allowed');
  });

  it('GIVEN two actions THEN the stricter one wins, whichever comes first', () => {
    assert.equal(stricter('spoiler', 'block'), 'block');
    assert.equal(stricter('block', 'spoiler'), 'block');
    assert.equal(stricter('allow', undefined), 'allow');
    assert.equal(stricter('blur', 'allow'), 'blur');
  });
});
