import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMON_ASPECTS, sizeForAspect } from '../../../src/workflows/aspect.ts';
import type { ModelFamily } from '../../../src/workflows/types.ts';

const size = (family: ModelFamily, aspect: string) => {
  const r = sizeForAspect(family, aspect);
  assert.ok(r.ok, aspect);
  return r.value;
};

describe('sizeForAspect', () => {
  it('GIVEN 1:1 THEN each family gets its native square', () => {
    assert.deepEqual(size('sd15', '1:1'), { width: 512, height: 512 });
    assert.deepEqual(size('sdxl', '1:1'), { width: 1024, height: 1024 });
    assert.deepEqual(size('flux', '1:1'), { width: 1024, height: 1024 });
    assert.deepEqual(size('sd3', '1:1'), { width: 1024, height: 1024 });
  });

  it('GIVEN the usual SDXL ratios THEN the well-known sizes come out', () => {
    assert.deepEqual(size('sdxl', '16:9'), { width: 1344, height: 768 });
    assert.deepEqual(size('sdxl', '9:16'), { width: 768, height: 1344 });
    assert.deepEqual(size('sdxl', '4:3'), { width: 1152, height: 896 });
    assert.deepEqual(size('sdxl', '21:9'), { width: 1536, height: 640 });
  });

  it('GIVEN every common ratio and family THEN sides are multiples of 64 near the native pixel count', () => {
    for (const family of ['sd15', 'sdxl', 'flux', 'sd3'] as const) {
      const native = family === 'sd15' ? 512 * 512 : 1024 * 1024;
      for (const aspect of COMMON_ASPECTS) {
        const { width, height } = size(family, aspect);
        assert.equal(width % 64, 0);
        assert.equal(height % 64, 0);
        assert.ok(
          Math.abs(width * height - native) / native < 0.15,
          `${family} ${aspect} ${width}x${height}`,
        );
        const [w, h] = aspect.split(':').map(Number) as [number, number];
        assert.ok(Math.abs(width / height - w / h) / (w / h) < 0.1, `${family} ${aspect} ratio`);
      }
    }
  });

  it('GIVEN a malformed or extreme ratio THEN an error names the value and suggests ratios', () => {
    for (const bad of ['wide', '0:1', '16:0', '100:1', '']) {
      const r = sizeForAspect('sdxl', bad);
      assert.ok(!r.ok, bad);
      assert.equal(r.error.code, 'workflows.aspect.invalid');
      assert.equal(r.error.params['value'], bad);
    }
  });

  it('GIVEN a full-width colon (Chinese keyboards) THEN it is read like ":"', () => {
    assert.deepEqual(size('sdxl', '16：9'), { width: 1344, height: 768 });
  });
});
