import type { z } from 'zod';
import type { Config, ConfigPlatform, ConfigSection } from '../../config/index.ts';
import type { Catalog, UserMessage } from '#shared/i18n.ts';
import type { RelayPorts } from '../ports/relay-ports.ts';
import type { QuotaRequester, TierMatchFn } from '../quota/types.ts';

/**
 * A platform as one module: its name, its section of the configuration, how its people match quota
 * tiers, its messages, and how it starts. The descriptor (`src/adapters/<platform>/module.ts`) stays
 * light: `start` imports the adapter itself (discord.js, telegraf…) only when called, so the command
 * line reads the configuration without loading any of it. The composition root (`src/platforms.ts`)
 * lists the modules; core and config never name a platform.
 */
export interface PlatformModule extends ConfigPlatform {
  /** `discord`: what `Requester.platform` holds for its people, and its key under `quotas.admins`. */
  name: string;
  configSection?: ConfigSection;
  tierMatch?: PlatformTierMatch;
  /** Its messages (registered when the descriptor loads). */
  catalog?: Catalog;
  /** Whether the server starts it with this configuration (a token is set); always when absent. */
  enabled?(config: Config): boolean;
  /**
   * A message code said at start-up when no platform with this same hint is enabled: how to enable one.
   * Platforms share a hint to be mentioned once ("to add Discord or Telegram, …").
   */
  startHint?: string;
  /** Starts the front end; registers it with the engine before `engine.start()`. */
  start?(context: PlatformContext): Promise<RunningPlatform>;
}

/**
 * What a platform gets to start with: the core's ports (the chat service all chat front ends share
 * among them) and the configuration, from which its descriptor hands the adapter its own section.
 */
export interface PlatformContext {
  ports: RelayPorts;
  config: Config;
}

export interface RunningPlatform {
  /** Stops taking requests and lets its deliveries finish. */
  close(): Promise<void>;
  /** Lines for the operator once the server runs (the URL it listens on). */
  notices?: UserMessage[];
}

/** The keys a platform adds to a tier's `match:` and how they match its own requesters. */
export interface PlatformTierMatch {
  /** Each key's schema (made optional when built): `{ discordRoles: z.array(z.string()) }`. */
  keys: Readonly<Record<string, z.ZodType>>;
  /** Called only for this platform's requesters, with the tier's whole `match:`. */
  matches: TierMatchFn;
}

type MatchValues<K extends Record<string, z.ZodType>> = { readonly [P in keyof K]?: z.output<K[P]> };

/** A `PlatformTierMatch` whose function sees its own keys typed. */
export function tierMatch<K extends Record<string, z.ZodType>>(
  keys: K,
  matches: (match: MatchValues<K>, requester: QuotaRequester) => boolean,
): PlatformTierMatch {
  return { keys, matches: (match, requester) => matches(match as MatchValues<K>, requester) };
}

/** Whether the server starts this platform with this configuration. */
export function isEnabled(platform: PlatformModule, config: Config): boolean {
  return platform.enabled?.(config) ?? true;
}
