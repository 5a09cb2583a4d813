import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import {
  DEFAULT_THRESHOLDS,
  type PoolClassifier,
  SAFETY_CLASSES,
  type SafetyVerdict,
  startPoolClassifier,
  unsafeRule,
} from '../../../../src/core/safety/index.ts';
import { animatedGif, drawnText, gradient, noise, shapes } from './images.ts';

/** The real nsfwjs model on the WebAssembly backend, loaded from node_modules (no network). */
describe('pool classifier with the bundled nsfwjs model', () => {
  let classifier: PoolClassifier;
  const events: string[] = [];
  before(async () => {
    const started = await startPoolClassifier({
      workers: 2,
      timeoutMs: 60_000,
      onEvent: (e) => events.push(e.type === 'ready' ? `ready:${e.backend}` : e.type),
    });
    assert.ok(started.ok, started.ok ? '' : started.error);
    classifier = started.value;
  });
  after(() => classifier.close());

  const scored = (v: SafetyVerdict) => {
    assert.equal(v.kind, 'scored', JSON.stringify(v));
    return v as Extract<SafetyVerdict, { kind: 'scored' }>;
  };

  it('GIVEN the pool started THEN every worker runs the wasm backend', () => {
    assert.deepEqual(events, ['ready:wasm', 'ready:wasm']);
    assert.equal(classifier.readyWorkers, 2);
  });

  const images: [string, () => Promise<Buffer>, string][] = [
    ['a gradient', () => gradient(640, 480), 'image/png'],
    ['shapes', () => shapes(512, 512), 'image/png'],
    ['drawn text', () => drawnText(800, 300), 'image/jpeg'],
    ['noise', () => noise(300, 300), 'image/png'],
  ];
  // Each image is classified once, by whichever test reads it first (the model is deterministic, as a
  // test below shows): the vector checks and the thresholds read the same verdicts.
  const verdicts = new Map<string, Promise<SafetyVerdict>>();
  const verdictOf = ([name, make, mime]: (typeof images)[number]) => {
    let v = verdicts.get(name);
    if (!v) {
      v = make().then((image) => classifier.classify(image, mime));
      verdicts.set(name, v);
    }
    return v;
  };
  for (const image of images) {
    const [name] = image;
    it(`GIVEN ${name} THEN a probability vector over the five classes in the model's order, summing to 1`, async () => {
      const v = scored(await verdictOf(image));
      assert.equal(v.frames, 1);
      assert.deepEqual(Object.keys(v.scores), [...SAFETY_CLASSES]);
      for (const p of Object.values(v.scores)) assert.ok(p >= 0 && p <= 1, `${p} out of range`);
      const sum = Object.values(v.scores).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - 1) < 1e-3, `sum ${sum}`);
    });
  }

  it('GIVEN generated neutral images THEN none is unsafe under the default thresholds', async () => {
    const all = await Promise.all(images.map(verdictOf));
    assert.deepEqual(
      all.map((v) => unsafeRule(v, DEFAULT_THRESHOLDS, 'unsafe')),
      images.map(() => 'none'),
    );
  });

  it('GIVEN the same image twice THEN the same scores (deterministic)', async () => {
    const img = await shapes(400, 300);
    const [a, b] = [
      scored(await classifier.classify(img, 'image/png')),
      scored(await classifier.classify(img, 'image/png')),
    ];
    assert.deepEqual(a.scores, b.scores);
  });

  it('GIVEN eight concurrent requests on two workers THEN each gets the answer it gets alone', async () => {
    const inputs = await Promise.all([0, 1, 2, 3].map((i) => gradient(200 + 40 * i, 200)));
    const alone = [];
    for (const img of inputs) alone.push(scored(await classifier.classify(img, 'image/png')).scores);
    const together = await Promise.all(
      [...inputs, ...inputs].map((img) => classifier.classify(img, 'image/png')),
    );
    assert.deepEqual(
      together.map((v) => scored(v).scores),
      [...alone, ...alone],
    );
  });

  it('GIVEN an animated GIF of three frames THEN all three are classified', async () => {
    const v = scored(
      await classifier.classify(await animatedGif(96, 64, ['#c33', '#3c3', '#33c']), 'image/gif'),
    );
    assert.equal(v.frames, 3);
  });

  it('GIVEN an animated WebP THEN its frames are sampled and scored: an image, not an unclassifiable file', async () => {
    const gif = await animatedGif(96, 64, ['#c33', '#3c3', '#33c', '#cc3', '#3cc', '#c3c']);
    const webp = await sharp(gif, { animated: true }).webp().toBuffer();
    const v = scored(await classifier.classify(webp, 'image/webp'));
    assert.equal(v.frames, 4, 'the default sample of four frames out of six');
  });

  it('GIVEN bytes that are no image THEN unknown (failed), not an exception', async () => {
    const v = await classifier.classify(Buffer.from('not an image at all'), 'image/png');
    assert.equal(v.kind === 'unknown' && v.reason, 'failed');
  });

  it('GIVEN a video THEN unknown (unsupported): the classifier reads images only', async () => {
    const v = await classifier.classify(Buffer.from([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70]), 'video/mp4');
    assert.deepEqual(v, { kind: 'unknown', reason: 'unsupported', detail: 'video/mp4' });
  });
});
