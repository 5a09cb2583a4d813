import assert from 'node:assert/strict';
import type { ImagineContext, ImaginePlan, ModelSource } from '../../../../src/core/prompt/index.ts';
import type { UserMessage } from '../../../../src/shared/i18n.ts';
import type { Result } from '../../../../src/shared/result.ts';
import { checkWorkflow } from '../../../../src/workflows/check.ts';
import type { ModelMapping } from '../../../../src/workflows/model-mapping.ts';
import type { ObjectInfo } from '../../../../src/workflows/object-info.ts';
import { catalogWith } from '../../workflows/installed.ts';
import { templates } from './imagine-fixtures.ts';

/** A ComfyUI with its own SD 1.5 and SDXL checkpoints and LoRAs (none of the shipped defaults). */
export const INSTALLED = catalogWith({
  checkpoints: [
    'dreamshaper_8.safetensors',
    'juggernautXL_v9.safetensors',
    'realisticVision_v51.safetensors',
    'realisticVision_v60.safetensors',
  ],
  loras: [
    'film_grain.safetensors',
    'detail_tweaker.safetensors',
    'add_more_details.safetensors',
    'x.safetensors',
  ],
  upscale_models: ['4x-UltraSharp.pth'],
});

export interface Gpu {
  name: string;
  healthy: boolean;
  objectInfo: ObjectInfo;
}

/** The pipeline over the shipped templates and these backends, with the pool's real capability check. */
export function modelCtx(mapping?: ModelMapping, backends: Gpu[] = [gpu('gpu1', INSTALLED)]): ImagineContext {
  const source: ModelSource = { backends, ...(mapping ? { mapping } : {}) };
  return {
    templates,
    pool: {
      mightRun: (workflow) => ({
        possible: backends.some((b) => checkWorkflow(workflow as never, b.objectInfo).length === 0),
        problems: [],
      }),
    },
    models: () => source,
  };
}

export const gpu = (name: string, objectInfo: ObjectInfo): Gpu => ({ name, healthy: true, objectInfo });

export function planned(r: Result<ImaginePlan, UserMessage>): ImaginePlan {
  assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
  return r.value;
}

export function refused(r: Result<ImaginePlan, UserMessage>): UserMessage {
  assert.ok(!r.ok, 'expected a refusal');
  return r.error;
}
