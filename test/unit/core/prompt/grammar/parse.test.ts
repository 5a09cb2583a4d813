import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePrompt } from '../../../../../src/core/prompt/grammar/index.ts';

describe('parsePrompt', () => {
  it('GIVEN a Midjourney-style line THEN splits the prompt from the flags', () => {
    const p = parsePrompt('a lighthouse at dusk --ar 16:9 --seed 42 --no text, watermark --denoise 0.6');
    assert.equal(p.prompt, 'a lighthouse at dusk');
    assert.deepEqual(
      p.flags.map((f) => [f.name, f.value]),
      [
        ['ar', '16:9'],
        ['seed', '42'],
        ['no', 'text, watermark'],
        ['denoise', '0.6'],
      ],
    );
  });

  it('GIVEN em dash, en dash, Chinese double dash and = THEN all start flags and keep the raw text', () => {
    const p = parsePrompt('cat —ar 2:3 –seed 1 ——steps 20 --CFG=7');
    assert.deepEqual(
      p.flags.map((f) => [f.name, f.value, f.raw]),
      [
        ['ar', '2:3', '—ar 2:3'],
        ['seed', '1', '–seed 1'],
        ['steps', '20', '——steps 20'],
        ['cfg', '7', '--CFG=7'],
      ],
    );
  });

  it('GIVEN quotes, braces, :: and newlines in the prompt THEN keeps them verbatim', () => {
    const raw = '  "a {red|blue} car" :: 2\n(masterpiece:1.2)\n--steps 20';
    const p = parsePrompt(raw);
    assert.equal(p.prompt, '"a {red|blue} car" :: 2\n(masterpiece:1.2)');
    assert.deepEqual(p.flags, [{ name: 'steps', value: '20', raw: '--steps 20' }]);
  });

  it('GIVEN a quoted flag value THEN drops one pair of quotes', () => {
    assert.equal(parsePrompt('x --negative "blurry, low quality"').flags[0]?.value, 'blurry, low quality');
    assert.equal(parsePrompt('x --negative “模糊”').flags[0]?.value, '模糊');
  });

  it('GIVEN dashes that are not flags THEN they stay in the prompt', () => {
    for (const raw of ['state-of-the-art', 'a--b', '-- spaced', '--5 items', '—', 'em—dash']) {
      assert.deepEqual(parsePrompt(raw), { prompt: raw, flags: [] }, raw);
    }
  });

  it('GIVEN a flag without value at the end THEN its value is empty', () => {
    assert.deepEqual(parsePrompt('x --hires').flags, [{ name: 'hires', value: '', raw: '--hires' }]);
  });

  it('GIVEN only flags THEN the prompt is empty', () => {
    assert.equal(parsePrompt('--ar 1:1').prompt, '');
  });
});
