import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseManifest } from '../../../src/workflows/manifest.ts';
import { buildTemplate } from '../../../src/workflows/template.ts';
import type { ModelSlot } from '../../../src/workflows/types.ts';
import { readFixtureGraph } from './helpers.ts';
import { shipped } from './installed.ts';

const brief = (slots: readonly ModelSlot[] | undefined) =>
  (slots ?? []).map(
    (s) => `${s.name} ${s.kind} ${s.loader}#${s.node}.${s.input} = ${s.default} (${s.family})`,
  );

function build(fixture: string, manifestYaml?: string) {
  const manifest = manifestYaml === undefined ? undefined : parseManifest(manifestYaml, 'yaml');
  if (manifest && !manifest.ok) throw new Error(JSON.stringify(manifest.error));
  return buildTemplate({
    name: fixture,
    file: `${fixture}.json`,
    graph: readFixtureGraph(fixture),
    ...(manifest ? { manifest: manifest.value } : {}),
  });
}

describe('model slots found in templates', () => {
  it('GIVEN the shipped templates THEN each loader is a slot with its file and the template family, main model first', () => {
    assert.deepEqual(brief(shipped('sd15-txt2img').slots), [
      'checkpoint checkpoint CheckpointLoaderSimple#4.ckpt_name = v1-5-pruned-emaonly.safetensors (sd15)',
    ]);
    assert.deepEqual(brief(shipped('flux-schnell-txt2img').slots), [
      'diffusion_model diffusion_model UNETLoader#12.unet_name = flux1-schnell.safetensors (flux)',
      'vae vae VAELoader#10.vae_name = ae.safetensors (flux)',
      'text_encoder text_encoder DualCLIPLoader#11.clip_name1 = t5xxl_fp8_e4m3fn.safetensors (flux)',
      'text_encoder_2 text_encoder DualCLIPLoader#11.clip_name2 = clip_l.safetensors (flux)',
    ]);
    assert.deepEqual(brief(shipped('upscale-4x').slots), [
      'upscale_model upscale_model UpscaleModelLoader#2.model_name = 4x-UltraSharp.pth (other)',
    ]);
  });

  it('GIVEN base and refiner checkpoints THEN the base (what the first pass samples with) is `checkpoint`', () => {
    const t = build('sdxl-refiner');
    assert.ok(t.ok);
    assert.deepEqual(
      brief(t.value.slots).map((s) => s.split(' = ')[0]),
      [
        'checkpoint checkpoint CheckpointLoaderSimple#4.ckpt_name',
        'checkpoint_2 checkpoint CheckpointLoaderSimple#12.ckpt_name',
      ],
    );
  });

  it('GIVEN an all-in-one loader THEN its checkpoint widget is the main slot', () => {
    const t = build('efficient-loader');
    assert.ok(t.ok);
    assert.deepEqual(brief(t.value.slots), [
      'checkpoint checkpoint Efficient Loader#1.ckpt_name = realisticVisionV60B1_v51VAE.safetensors (other)',
    ]);
  });

  it('GIVEN a manifest parameter writing the loader THEN its default is the slot default', () => {
    const t = build('sd15-ksampler', 'parameters:\n  checkpoint: { default: dreamshaper_8.safetensors }\n');
    assert.ok(t.ok);
    assert.equal(t.value.slots?.[0]?.default, 'dreamshaper_8.safetensors');
  });

  it('GIVEN manifest models: THEN a found slot is overridden and another is declared by node id', () => {
    const t = build(
      'sdxl-refiner',
      [
        'family: sdxl',
        'models:',
        '  checkpoint: { default: juggernautXL_v9.safetensors }',
        '  refiner: { node: "12", family: other }',
      ].join('\n'),
    );
    assert.ok(t.ok, JSON.stringify(!t.ok && t.error));
    assert.deepEqual(brief(t.value.slots), [
      'checkpoint checkpoint CheckpointLoaderSimple#4.ckpt_name = juggernautXL_v9.safetensors (sdxl)',
      'refiner checkpoint CheckpointLoaderSimple#12.ckpt_name = sd_xl_refiner_1.0.safetensors (other)',
    ]);
  });

  it('GIVEN manifest models: that point nowhere THEN each problem names its path', () => {
    const t = build(
      'sd15-ksampler',
      ['models:', '  vae: { family: sd15 }', '  upscaler: { node: "99" }', '  odd: { node: "3" }'].join('\n'),
    );
    assert.ok(!t.ok);
    assert.deepEqual(
      t.error.map((p) => p.path),
      ['$.models.vae.node', '$.models.upscaler.node', '$.models.odd.node'],
    );
    assert.match(t.error[0]!.reason, /no model slot "vae" was found \(found: checkpoint\)/);
    assert.match(t.error[2]!.reason, /KSampler#3 is not a known loader: give input/);
  });
});
