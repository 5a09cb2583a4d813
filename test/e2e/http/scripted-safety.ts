import { ApiKeys } from '../../../src/core/keys/api-keys.ts';
import { scriptedClassifier } from '../../../src/core/safety/classifier.ts';
import { type Harness, startHarness } from './harness.ts';

export const EXPLICIT = { porn: 0.9, neutral: 0.1 };
export const NEUTRAL = { neutral: 0.97, drawing: 0.03 };

/** A harness whose safety classifier answers what the test last set, and a key whose tier requires block. */
export interface ScriptedSafety {
  h: Harness;
  /** A key of the `school` tier, whose safety minimum is `block`. */
  strictKey: string;
  /** The scores the classifier answers from now on (the rest 0); `NEUTRAL` at first. */
  answer(scores: Record<string, number>): void;
}

export async function startScriptedSafety(): Promise<ScriptedSafety> {
  let scores: Record<string, number> = NEUTRAL;
  const h = await startHarness({
    config: {
      quotas: {
        tiers: [{ name: 'school', match: { apiKeyTier: 'school' }, safety: { minimum: 'block' } }],
      },
    },
    safetyClassifier: scriptedClassifier(() => ({
      kind: 'scored',
      scores: { drawing: 0, hentai: 0, neutral: 0, porn: 0, sexy: 0, ...scores },
      frames: 1,
    })),
  });
  const strictKey = (await new ApiKeys(h.app.storage.keys).create({ name: 'pupils', tier: 'school' })).key;
  return {
    h,
    strictKey,
    answer: (next) => {
      scores = next;
    },
  };
}
