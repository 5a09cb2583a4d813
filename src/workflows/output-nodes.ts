import { infoOf, type WalkContext } from './binding.ts';
import { linkedInputs, usedNodes } from './graph.ts';
import { inputType } from './object-info.ts';
import { isSampler } from './sampler-like.ts';

/** Input types whose output node writes a file a chat user can receive. */
const MEDIA_TYPES = new Set(['IMAGE', 'MASK', 'VIDEO', 'AUDIO', 'SVG', 'MESH']);
const MEDIA_WORDS = new Set(['image', 'images', 'audio', 'video', 'frames', 'mask', 'pixels']);
const isMediaName = (name: string) => {
  const words = name.toLowerCase().split(/[^a-z]+/);
  return words.some((w) => MEDIA_WORDS.has(w)) && !words.includes('latent');
};

/** Output nodes that write no file: their images only travel over the WebSocket, which we do not collect. */
const NO_FILE = /websocket/i;

/** Output nodes of stock ComfyUI and popular packs, for when /object_info does not know the class. */
const KNOWN_OUTPUTS = new Set([
  'SaveImage',
  'PreviewImage',
  'SaveAnimatedWEBP',
  'SaveAnimatedPNG',
  'SaveWEBM',
  'SaveVideo',
  'SaveAudio',
  'SaveAudioMP3',
  'SaveAudioOpus',
  'PreviewAudio',
  'SaveSVGNode',
  'SaveGLB',
  'MaskPreview',
  'VHS_VideoCombine',
  'Image Save',
  'Image Saver',
  'Save Image w/Metadata',
  'Image Comparer (rgthree)',
]);

/**
 * The nodes whose files are the results: with /object_info, every `output_node` that takes an image,
 * mask, video, audio, SVG or mesh (so not CheckpointSave, SaveLatent or PreviewAny); for classes it does
 * not know, the known savers plus any node that takes such an input and whose outputs nothing uses.
 * Nodes that only stream over the WebSocket (SaveImageWebsocket) write no file and are left out.
 */
export function findOutputs(ctx: WalkContext): string[] {
  const used = usedNodes(ctx.graph);
  return Object.keys(ctx.graph).filter((id) => {
    const node = ctx.graph[id]!;
    if (NO_FILE.test(node.class_type)) return false;
    const info = infoOf(ctx, id);
    const takesMedia = linkedInputs(ctx.graph, id).some((name) => {
      const declared = inputType(info, name);
      return declared !== undefined ? MEDIA_TYPES.has(declared) : isMediaName(name);
    });
    if (info) return info.output_node === true && takesMedia;
    if (KNOWN_OUTPUTS.has(node.class_type)) return true;
    return takesMedia && !used.has(id) && !isSampler(ctx, id);
  });
}
