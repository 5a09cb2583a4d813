import type { z } from 'zod';
import type { EnvBinding } from './env.ts';

/**
 * What the configuration needs to know of a platform, so `src/config` never names one: its section of
 * the file with its environment variables, and the keys it adds to a tier's `match:`. Each platform's
 * descriptor (`src/adapters/<platform>/module.ts`) provides these; the composition root passes the list
 * to `loadConfig`.
 */
export interface ConfigPlatform {
  /** `discord`: also its key under `quotas.admins`, filled from `COMFYRELAY_DISCORD_ADMINS`. */
  name: string;
  configSection?: ConfigSection;
  tierMatch?: { keys: Readonly<Record<string, z.ZodType>> };
}

export interface ConfigSection {
  /** The top-level key in the file: `discord`. */
  key: string;
  /** The section with its defaults; an absent section is read as `{}`, so they apply. */
  schema: z.ZodType;
  /** Variables that override keys of the section (paths relative to the section). */
  env?: readonly EnvBinding[];
}

// Each platform's descriptor adds its entries by declaration merging, so `config.discord` is typed
// wherever that platform is compiled in:
//   declare module '../../config/platform-config.ts' {
//     interface PlatformSections { discord: typeof discordSection }
//     interface PlatformTierMatchKeys { discordRoles: string[] }
//   }

/** Section key → the zod schema of that section. */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in each platform's descriptor.
export interface PlatformSections {}

/** A tier `match:` key a platform adds → the type of its value. */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in each platform's descriptor.
export interface PlatformTierMatchKeys {}

/** The platforms' sections as validated: `config.discord`. */
export type PlatformSectionsOutput = {
  [K in keyof PlatformSections]: PlatformSections[K] extends z.ZodType
    ? z.output<PlatformSections[K]>
    : never;
};

/** The platforms' sections as they may be written. */
export type PlatformSectionsInput = {
  [K in keyof PlatformSections]?: PlatformSections[K] extends z.ZodType
    ? z.input<PlatformSections[K]>
    : never;
};
