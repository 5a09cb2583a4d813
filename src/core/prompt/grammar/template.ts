import { nearest } from '#shared/nearest.ts';
import type { GrammarContext, GrammarTemplate } from './context.ts';

const lower = (s: string) => s.toLowerCase();

/**
 * Finds the template a `--model`/`--workflow` value names: its exact name, then an operator alias,
 * then a tag or family (`sdxl` → `sdxl-txt2img`). When a tag or family fits several, the default
 * template wins, then one that needs no input image, then the earliest in `ctx.templates`.
 */
export function findTemplate(value: string, ctx: GrammarContext): GrammarTemplate | undefined {
  const v = lower(value.trim());
  const all = ctx.templates;
  const exact =
    all.find((t) => lower(t.name) === v) ?? all.find((t) => t.aliases?.some((a) => lower(a) === v));
  if (exact) return exact;
  const byTag = all.filter((t) => t.tags?.some((tag) => lower(tag) === v) || t.family === v);
  return [...byTag].sort((a, b) => rank(a, ctx) - rank(b, ctx))[0];
}

function rank(t: GrammarTemplate, ctx: GrammarContext): number {
  if (t.name === ctx.defaultTemplate) return -1;
  return t.params.some((p) => p.kind === 'image' && p.default === undefined) ? 1 : 0;
}

/** Every word `--model`/`--workflow` accepts, for suggestions and help. */
export function templateWords(ctx: GrammarContext): string[] {
  const words = new Set<string>();
  for (const t of ctx.templates) {
    words.add(t.name);
    for (const w of [...(t.aliases ?? []), ...(t.tags ?? []), t.family]) if (w !== 'other') words.add(w);
  }
  return [...words];
}

export function closestTemplateWord(value: string, ctx: GrammarContext): string | undefined {
  return nearest(value, templateWords(ctx));
}
