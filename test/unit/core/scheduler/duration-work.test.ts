import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DurationEstimator, workOf } from '../../../../src/core/scheduler/duration-estimator.ts';

const txt2img = (steps: number, width: number, height: number, batch = 1) => ({
  '3': { class_type: 'KSampler', inputs: { steps, seed: 1, cfg: 7 } },
  '5': { class_type: 'EmptyLatentImage', inputs: { width, height, batch_size: batch } },
});

describe('ETA from measured work', () => {
  it('GIVEN steps, size and batch THEN the work scales with each', () => {
    assert.equal(workOf(txt2img(20, 512, 512)), 1);
    assert.equal(workOf(txt2img(40, 512, 512)), 2);
    assert.equal(workOf(txt2img(20, 1024, 1024)), 4);
    assert.equal(workOf(txt2img(20, 512, 512, 4)), 4);
    assert.equal(workOf({ '1': { class_type: 'LoadImage', inputs: { image: 'x.png' } } }), 1);
  });

  it('GIVEN a template nobody ran yet THEN there is no measured time (the status says "estimating")', () => {
    const d = new DurationEstimator({ defaultMs: 30_000 });
    assert.equal(d.measured('sd15'), undefined);
    assert.equal(d.estimate('sd15'), 30_000, 'a number where one is needed anyway');
  });

  it('GIVEN one run of 20 steps THEN 40 steps at twice the size are estimated eight times longer', () => {
    const d = new DurationEstimator();
    d.record('sd15', 'gpu1', 5000, workOf(txt2img(20, 512, 512)));
    assert.equal(d.measured('sd15', workOf(txt2img(20, 512, 512))), 5000);
    assert.equal(d.measured('sd15', workOf(txt2img(40, 1024, 512))), 20_000);
    assert.equal(d.measured('sdxl'), undefined);
  });
});
