import sharp from 'sharp';
import { DEFAULT_POLICY } from '../../../../src/core/chat/community-policy.ts';
import type { ImagineContext, ImagineRequest } from '../../../../src/core/prompt/index.ts';
import { loadTemplates } from '../../../../src/workflows/loader.ts';
import type { WorkflowTemplate } from '../../../../src/workflows/types.ts';
import { WORKFLOWS_DIR } from '../../../helpers/app.ts';

const shipped = (await loadTemplates(WORKFLOWS_DIR)).templates;
const sd15 = shipped.find((t) => t.name === 'sd15-txt2img')!;

/** The shipped templates, plus an age-restricted copy of the SD 1.5 one. */
export const templates = new Map<string, WorkflowTemplate>(
  [...shipped, { ...sd15, name: 'sd15-nsfw', tags: ['txt2img', 'nsfw'] }].map((t) => [t.name, t]),
);

/** Backends that have only the SD 1.5 checkpoint and the upscale model (like the fake ComfyUI in e2e). */
export const ctx: ImagineContext = {
  templates,
  pool: {
    mightRun: (workflow) => {
      const text = JSON.stringify(workflow);
      const possible = text.includes('v1-5-pruned-emaonly') || text.includes('UpscaleModelLoader');
      return { possible, problems: [] };
    },
  },
};

export const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#358' } })
  .png()
  .toBuffer();

/** A request in a plain community channel, with no policy and no saved settings. */
export function request(text: string, extra: Partial<ImagineRequest> = {}): ImagineRequest {
  return {
    text,
    requester: { platform: 'discord', userId: 'u1' },
    place: { communityId: 'g1', channelId: 'c1', nsfwAllowed: false },
    policy: { ...DEFAULT_POLICY },
    ...extra,
  };
}
