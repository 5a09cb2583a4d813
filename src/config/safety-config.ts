import { z } from 'zod';

const action = z.enum(['allow', 'spoiler', 'blur', 'block']);
const probability = z.number().min(0).max(1);

/**
 * `safety:` every output image is classified before it is posted (nsfwjs, offline, on worker threads).
 * These are the operator's defaults; community admins change them per community and channel with
 * `/admin safety`. Defaults: an unsafe image is blurred in ordinary channels and groups (the original
 * goes privately to the requester), posted as is in age-restricted channels and chats marked adult;
 * an image the classifier could not judge counts as unsafe outside those.
 */
export const safetySection = z
  .strictObject({
    /** `false`: nothing is classified and every image is posted (previews too). */
    enabled: z.boolean().default(true),
    /** What an unsafe image gets in ordinary channels, groups and private chats. */
    action: action.default('blur'),
    /** What an unsafe image gets in age-restricted channels and chats marked adult. */
    adultAction: action.default('allow'),
    /** How an image the classifier could not judge (timeout, failure, a video) counts. */
    unknown: z.enum(['unsafe-outside-adult', 'unsafe', 'safe']).default('unsafe-outside-adult'),
    /**
     * What a video (any visual file the classifier cannot read) gets where an unsafe image would be
     * blurred, which a video cannot be; elsewhere it gets what the place does to unsafe images (see
     * `resolvePlaceSafety`). Animated GIF/WebP are images: their frames are classified.
     */
    unclassifiable: z.enum(['allow', 'spoiler', 'block']).default('spoiler'),
    thresholds: z
      .strictObject({
        /** porn + hentai at or above this is explicit. */
        explicit: probability.default(0.6),
        /** sexy at or above this is suggestive. */
        suggestive: probability.default(0.8),
      })
      .prefault({}),
    /** Count private chats with the bot as adult places (default: they follow the config default). */
    privateChatsAdult: z.boolean().default(false),
    /** Classifier threads; default one per core but one, 1 to 4 (each holds about 150 MB). */
    workers: z.number().int().min(1).max(16).optional(),
    /** An image's classification (once a worker has taken it) that takes longer counts as `unknown`. */
    timeoutMs: z.number().int().min(100).default(10_000),
    /** An image waiting longer than this for a free classifier worker counts as `unknown`. */
    queueTimeoutMs: z.number().int().min(100).default(60_000),
    /** Frames sampled from an animated image (the worst one decides). */
    maxFrames: z.number().int().min(1).max(32).default(4),
  })
  .prefault({});

export type SafetyConfig = z.infer<typeof safetySection>;
