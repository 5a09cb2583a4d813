import type { UserMessage } from '#shared/i18n.ts';
import type { DeliveryTarget, JobRecord } from '../jobs/types.ts';

/** What a job was made from, kept in its delivery target (front ends' data, opaque to the engine). */
export interface Derivation {
  kind: 'reroll' | 'variation' | 'upscale';
  /** The job it was made from. */
  of: string;
  /** The image of that job (from 1), for a variation or an upscale. */
  index?: number;
}

/** The delivery target of a job made from another, carrying where it came from. */
export const withDerivation = (delivery: DeliveryTarget, derived: Derivation): DeliveryTarget => ({
  ...delivery,
  derived,
});

/** "Variation 2 of job abc", "Upscale of image 1 of job abc", "Reroll of job abc"; none for a new job. */
export function derivedLabel(job: Pick<JobRecord, 'delivery'>): UserMessage | undefined {
  const d = job.delivery?.['derived'] as Derivation | undefined;
  if (!d?.of) return undefined;
  const index = d.index ?? 1;
  switch (d.kind) {
    case 'reroll':
      return { code: 'chat.rerollOf', params: { id: d.of } };
    case 'variation':
      return { code: 'chat.variationOf', params: { id: d.of, index } };
    case 'upscale':
      return { code: 'chat.upscaleOf', params: { id: d.of, index } };
    default:
      return undefined;
  }
}
