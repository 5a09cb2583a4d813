import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readBoolean, readNumber } from '../../../../../src/core/prompt/grammar/numbers.ts';

describe('readNumber', () => {
  it('GIVEN plain decimals (incl. .5, 5., signs, exponent) THEN reads them', () => {
    const cases: [string, number][] = [
      ['30', 30],
      ['6.5', 6.5],
      ['.5', 0.5],
      ['5.', 5],
      ['-1', -1],
      ['+2', 2],
      ['1e9', 1e9],
      [' 7 ', 7],
    ];
    for (const [text, n] of cases) assert.equal(readNumber(text), n, text);
  });

  it('GIVEN hex, NaN, Infinity, separators or words THEN rejects them', () => {
    for (const text of [
      '0x1F',
      '0b1',
      'NaN',
      'Infinity',
      '-Infinity',
      '1_000',
      '1,5',
      'abc',
      '',
      '1e999',
      '--1',
      '.',
    ]) {
      assert.equal(readNumber(text), undefined, text);
    }
  });
});

describe('readBoolean', () => {
  it('GIVEN a bare flag or yes/no words THEN reads them; anything else is undefined', () => {
    assert.equal(readBoolean(''), true);
    assert.equal(readBoolean('On'), true);
    assert.equal(readBoolean('no'), false);
    assert.equal(readBoolean('maybe'), undefined);
  });
});
