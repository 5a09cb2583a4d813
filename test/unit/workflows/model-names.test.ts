import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { guessFileFamily } from '../../../src/workflows/family.ts';
import { familyOfFile, matchesPattern, mayChoose } from '../../../src/workflows/model-mapping.ts';
import { findModelFile } from '../../../src/workflows/model-names.ts';

const FILES = [
  'dreamshaper_8.safetensors',
  'SDXL/juggernautXL_v9.safetensors',
  'realisticVision_v51.safetensors',
  'realisticVision_v60.safetensors',
  'v1-5-pruned-emaonly.ckpt',
];

describe('finding the installed file a person means', () => {
  it('GIVEN names in any case, with or without folder or extension THEN the one file', () => {
    const cases: [string, string][] = [
      ['dreamshaper_8.safetensors', 'dreamshaper_8.safetensors'],
      ['DREAMSHAPER_8', 'dreamshaper_8.safetensors'],
      ['DreamShaper 8', 'dreamshaper_8.safetensors'],
      ['sdxl/juggernautxl_v9.safetensors', 'SDXL/juggernautXL_v9.safetensors'],
      ['juggernautXL_v9', 'SDXL/juggernautXL_v9.safetensors'],
      ['juggernaut', 'SDXL/juggernautXL_v9.safetensors'],
      ['emaonly', 'v1-5-pruned-emaonly.ckpt'],
      ['realisticvision_v60', 'realisticVision_v60.safetensors'],
    ];
    for (const [value, file] of cases) {
      assert.deepEqual(findModelFile(value, FILES), { kind: 'found', file }, value);
    }
  });

  it('GIVEN a part of several names THEN ambiguous, listing them', () => {
    assert.deepEqual(findModelFile('realisticVision', FILES), {
      kind: 'ambiguous',
      files: ['realisticVision_v51.safetensors', 'realisticVision_v60.safetensors'],
    });
  });

  it('GIVEN a typo THEN no match and the nearest file as suggestion; nothing near THEN no suggestion', () => {
    assert.deepEqual(findModelFile('dreamshapr_8', FILES), {
      kind: 'none',
      suggestion: 'dreamshaper_8.safetensors',
    });
    assert.deepEqual(findModelFile('zz', FILES), { kind: 'none' });
  });
});

describe('families and allow-lists', () => {
  it('GIVEN file names THEN the family they suggest, never from a t5xxl text encoder', () => {
    assert.equal(guessFileFamily('juggernautXL_v9.safetensors'), 'sdxl');
    assert.equal(guessFileFamily('sd_xl_base_1.0.safetensors'), 'sdxl');
    assert.equal(guessFileFamily('flux1-dev-fp8.safetensors'), 'flux');
    assert.equal(guessFileFamily('v1-5-pruned-emaonly.safetensors'), 'sd15');
    assert.equal(guessFileFamily('t5xxl_fp16.safetensors'), undefined);
    assert.equal(guessFileFamily('dreamshaper_8.safetensors'), undefined);
  });

  it('GIVEN the operator’s families THEN they win over the name', () => {
    const mapping = { families: { sd15: ['dreamshaper*'], other: ['*XL_lightning*'] } };
    assert.equal(familyOfFile('DreamShaper_8.safetensors', mapping), 'sd15');
    assert.equal(familyOfFile('juggernautXL_lightning.safetensors', mapping), 'other');
  });

  it('GIVEN patterns THEN case-insensitive, `*` for any run, folder optional', () => {
    assert.ok(matchesPattern('SDXL/juggernautXL_v9.safetensors', 'juggernaut*'));
    assert.ok(matchesPattern('SDXL/juggernautXL_v9.safetensors', 'sdxl/*'));
    assert.ok(!matchesPattern('SDXL/juggernautXL_v9.safetensors', 'sd15/*'));
    assert.ok(!matchesPattern('dreamshaper_8.safetensors', 'dreamshaper'));
    assert.ok(matchesPattern('a+b(1).safetensors', 'a+b(1).safetensors'));
  });

  it('GIVEN lists for the template and the community THEN a file must be on every list that applies', () => {
    const mapping = {
      allow: { templates: { sdxl: ['juggernaut*', 'pony*'] }, communities: { g1: ['juggernaut*'] } },
    };
    assert.ok(mayChoose('juggernautXL.safetensors', { template: 'sdxl', communityId: 'g1' }, mapping));
    assert.ok(!mayChoose('ponyXL.safetensors', { template: 'sdxl', communityId: 'g1' }, mapping));
    assert.ok(mayChoose('ponyXL.safetensors', { template: 'sdxl' }, mapping));
    assert.ok(mayChoose('anything.safetensors', { template: 'sd15' }, mapping));
    assert.ok(mayChoose('anything.safetensors', { template: 'sd15' }, undefined));
  });
});
