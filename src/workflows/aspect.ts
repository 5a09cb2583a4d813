import { err, ok, type Result } from '#shared/result.ts';
import { WorkflowCodes, type WorkflowError } from './errors.ts';
import type { ModelFamily } from './types.ts';

export interface Size {
  width: number;
  height: number;
}

/** The ratios offered to users, most common first. */
export const COMMON_ASPECTS = ['1:1', '4:3', '3:4', '16:9', '9:16', '3:2', '2:3', '21:9'] as const;

/** Pixels each family was trained at; `other` assumes a modern 1-megapixel model. */
export const NATIVE_PIXELS: Record<ModelFamily, number> = {
  sd15: 512 * 512,
  sdxl: 1024 * 1024,
  flux: 1024 * 1024,
  sd3: 1024 * 1024,
  other: 1024 * 1024,
};

const MULTIPLE = 64;
const RATIO = /^\s*(\d+(?:\.\d+)?)\s*[:：x×]\s*(\d+(?:\.\d+)?)\s*$/;

/**
 * Width and height for `W:H` at about the family's native pixel count, each a multiple of 64.
 * @example sizeForAspect('sdxl', '16:9') // ok({ width: 1344, height: 768 })
 */
export function sizeForAspect(family: ModelFamily, aspect: string): Result<Size, WorkflowError> {
  const m = RATIO.exec(aspect);
  const w = Number(m?.[1] ?? 0);
  const h = Number(m?.[2] ?? 0);
  const ratio = w / h;
  if (!m || !(w > 0 && h > 0) || ratio > 8 || ratio < 1 / 8) {
    return err({
      code: WorkflowCodes.badAspect,
      params: { value: aspect, examples: COMMON_ASPECTS.join(', ') },
    });
  }
  const pixels = NATIVE_PIXELS[family];
  return ok({ width: toMultiple(Math.sqrt(pixels * ratio)), height: toMultiple(Math.sqrt(pixels / ratio)) });
}

function toMultiple(n: number): number {
  return Math.max(MULTIPLE, Math.round(n / MULTIPLE) * MULTIPLE);
}
