import { kSampler } from '../../helpers/sd-nodes.ts';

/** Workflows for client tests, shaped like the ones recorded from a real server. */
export const SD_WORKFLOW = {
  '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'tiny-random.safetensors' } },
  '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a photo of a cat', clip: ['4', 1] } },
  '7': { class_type: 'CLIPTextEncode', inputs: { text: 'blurry, low quality', clip: ['4', 1] } },
  '5': { class_type: 'EmptyLatentImage', inputs: { width: 64, height: 64, batch_size: 1 } },
  '3': kSampler(1483, 4),
  '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
  '9': { class_type: 'SaveImage', inputs: { filename_prefix: 'ComfyUI', images: ['8', 0] } },
};

export function sdWorkflow(seed: number, steps = 4): typeof SD_WORKFLOW {
  const w = structuredClone(SD_WORKFLOW);
  w['3'].inputs.seed = seed;
  w['3'].inputs.steps = steps;
  return w;
}

/** EmptyImage → ImageInvert → SaveImage, plus a PreviewImage: two output nodes. */
export const TWO_OUTPUTS = {
  '1': { class_type: 'EmptyImage', inputs: { width: 64, height: 64, batch_size: 1, color: 16746496 } },
  '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
  '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'simple' } },
  '4': { class_type: 'PreviewImage', inputs: { images: ['1', 0] } },
};
