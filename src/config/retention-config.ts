import { z } from 'zod';

const days = z.number().positive();
const megabytes = z.number().positive();

/**
 * `retention:` how long what ComfyRelay keeps is kept, and how much disk it may take. Ages apply from
 * when an entry is written (a finished job from when it finished); budgets are enforced by each
 * retention run, oldest outputs first, never those of a job still being run or delivered.
 */
export const retentionSection = z
  .strictObject({
    /** Finished jobs (for /show, buttons, "your jobs") and their input images. */
    jobsDays: days.default(30),
    /** HTTP uploads and job outputs kept as assets. */
    assetsDays: days.default(7),
    /** Administrative actions (bans, quota resets). */
    auditDays: days.default(365),
    /** Minutes between retention runs; 0 turns the periodic run off (`comfyrelay retention run`). */
    intervalMinutes: z.number().min(0).default(60),
    /** Disk budgets for stored files; absent: no limit of that kind. */
    maxTotalGb: z.number().positive().default(50),
    maxPerOwnerMb: megabytes.default(5000),
    maxPerCommunityMb: megabytes.optional(),
  })
  .prefault({});

export type RetentionConfig = z.infer<typeof retentionSection>;
