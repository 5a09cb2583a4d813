import { z } from 'zod';

/**
 * `http.limits`: what one API key (or the local operator) may take of this server besides jobs, whose
 * limits are the quotas'. In the config because an operator exposing a GPU tunes them; defaults fit a
 * small community server.
 */
export const httpLimitsSection = z
  .strictObject({
    /** Largest upload (an input image), in MB. */
    uploadMb: z.number().positive().max(100).default(20),
    /** Bytes of uploads one key may keep at once, in MB (uploads expire after `retention.assetsDays`, or on DELETE). */
    storageMbPerKey: z.number().positive().default(500),
    /** Uploaded assets one key may keep at once. */
    assetsPerKey: z.int().min(1).default(1000),
    /** Uploads per key per minute. */
    uploadsPerMinute: z.int().min(1).default(30),
    /** Event streams (SSE) one key may hold open at once. */
    streamsPerKey: z.int().min(1).default(8),
    /** Uploads read at once by the whole process (each streams to disk; its image check decodes it), then 429. */
    concurrentUploads: z.int().min(1).default(4),
    /** Largest JSON body, in KB (a workflow graph with its inputs; an `image_base64` may add `uploadMb`). */
    jsonKb: z.int().min(16).default(2048),
    /** Largest `?wait=true` answer with the outputs as base64, in MB; past it a 413 points at the URL form. */
    base64ResponseMb: z.number().positive().max(1024).default(32),
  })
  .prefault({});

export type HttpLimits = z.infer<typeof httpLimitsSection>;

/** Bounds of request fields (characters or entries); the same for every key. */
export const FIELD_LIMITS = {
  prompt: 4000,
  negative: 4000,
  name: 200,
  paramString: 2000,
  params: 64,
  url: 2048,
  filePath: 255,
  /** Nesting of `{` and `[` in a JSON body. */
  jsonDepth: 64,
  workflowNodes: 5000,
} as const;
