/**
 * The KSampler of the SD 1.5 txt2img graphs the tests send: model and prompts from the checkpoint loader
 * `4` and the encoders `6` (positive) and `7` (negative), the latent from `5`.
 */
export function kSampler(seed: number, steps: number) {
  return {
    class_type: 'KSampler',
    inputs: {
      seed,
      steps,
      cfg: 7,
      sampler_name: 'euler',
      scheduler: 'normal',
      denoise: 1,
      model: ['4', 0],
      positive: ['6', 0],
      negative: ['7', 0],
      latent_image: ['5', 0],
    },
  };
}
