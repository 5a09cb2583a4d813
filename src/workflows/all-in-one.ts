import { infoOf, type WalkContext } from './binding.ts';
import { asLink } from './graph.ts';
import { inputType } from './object-info.ts';
import type { Polarity } from './polarity.ts';

/**
 * Widget names of "all-in-one" loaders (Efficient Loader, easy fullLoader, ttN pipeLoader…), which
 * take the prompts, the latent size and the checkpoint as widgets instead of links.
 */
export const PROMPT_WIDGETS: Record<Polarity, readonly string[]> = {
  positive: ['positive', 'positive_prompt', 'text_positive', 'positive_text', 'prompt_positive'],
  negative: ['negative', 'negative_prompt', 'text_negative', 'negative_text', 'prompt_negative'],
};
export const SIZE_WIDGETS = {
  width: ['width', 'empty_latent_width'],
  height: ['height', 'empty_latent_height'],
  batch: ['batch_size'],
} as const;
export const CHECKPOINT_WIDGETS = ['ckpt_name', 'unet_name', 'base_ckpt_name'] as const;

/** The first of `names` that is a text widget (or a text input linked to a value node) on `id`. */
export function textWidget(ctx: WalkContext, id: string, names: readonly string[]): string | undefined {
  const node = ctx.graph[id];
  if (!node) return undefined;
  const info = infoOf(ctx, id);
  return names.find((name) => {
    if (!(name in node.inputs)) return false;
    const declared = inputType(info, name);
    if (declared !== undefined) return declared === 'STRING' || declared === 'COMBO';
    return typeof node.inputs[name] === 'string' || asLink(node.inputs[name]) !== undefined;
  });
}

/** The first of `names` that holds a number (literal or linked) on `id`. */
export function numberWidget(ctx: WalkContext, id: string, names: readonly string[]): string | undefined {
  const node = ctx.graph[id];
  if (!node) return undefined;
  const info = infoOf(ctx, id);
  return names.find((name) => {
    if (!(name in node.inputs)) return false;
    const declared = inputType(info, name);
    if (declared !== undefined) return declared === 'INT' || declared === 'FLOAT';
    return typeof node.inputs[name] === 'number' || asLink(node.inputs[name]) !== undefined;
  });
}
