import { z } from 'zod';

/** Value shapes shared by the core keys and the platforms' sections. */

export const httpUrl = z
  .string()
  .trim()
  .refine((s) => /^https?:\/\/[^/\s]/i.test(s) && URL.canParse(s), { params: { expected: 'url' } })
  .transform((s) => s.replace(/\/+$/, ''));

export const port = z.number().int().min(0).max(65535);
export const positiveInt = z.number().int().min(1);
export const seconds = z.number().min(0);
/** Telegram ids are numbers in YAML, Discord snowflakes are too long for numbers: both end up strings. */
export const userId = z.union([z.string().regex(/^\d{1,20}$/), z.number().int().min(0)]).transform(String);
