import {
  DEFAULT_THRESHOLDS,
  type PlaceSafety,
  type SafetyAction,
  type SafetyThresholds,
  stricter,
} from './policy.ts';

/** How an image without scores (timeout, failure, a video) counts. */
export type UnknownRule = 'unsafe-outside-adult' | 'unsafe' | 'safe';

/** The operator's defaults (config `safety:`). */
export interface SafetySettings {
  enabled: boolean;
  /** For unsafe images in ordinary channels and groups. */
  action: SafetyAction;
  /** For unsafe images in age-restricted channels and chats marked adult. */
  adultAction: SafetyAction;
  unknown: UnknownRule;
  /** What a video (unreadable by the classifier) gets where unsafe images are blurred. */
  unclassifiable: Exclude<SafetyAction, 'blur'>;
  thresholds: SafetyThresholds;
  /** Count private chats with the bot (DMs) as adult places. */
  privateChatsAdult: boolean;
  /** Classifier: workers (default by core count), timeouts, frames sampled from animations. */
  workers?: number;
  /** One image's classification, once a worker has taken it. */
  timeoutMs: number;
  /** An image's wait for a free worker. */
  queueTimeoutMs: number;
  maxFrames: number;
}

/**
 * Defaults a moderator of a public community expects: an unsafe image is never shown in an ordinary
 * channel, but a false positive costs only a click (blurred, original to the requester); age-restricted
 * places post everything; an image the classifier could not judge counts as unsafe outside them.
 *
 * Videos cannot be classified (the model reads still images) nor blurred. Where images are blurred they
 * are posted behind a spoiler by default, not blocked: blocking would make every video template useless
 * outside age-restricted channels, while a spoiler still hides the video until someone chooses to open
 * it, under a note that it was not checked. Prompts are filtered and NSFW templates are kept to
 * age-restricted places before any video is made. A community for children sets `unclassifiable: block`.
 */
export const DEFAULT_SAFETY_SETTINGS: SafetySettings = {
  enabled: true,
  action: 'blur',
  adultAction: 'allow',
  unknown: 'unsafe-outside-adult',
  unclassifiable: 'spoiler',
  thresholds: DEFAULT_THRESHOLDS,
  privateChatsAdult: false,
  timeoutMs: 10_000,
  queueTimeoutMs: 60_000,
  maxFrames: 4,
};

/** What a community's admins set (stored with the community's policy); every field optional. */
export interface SafetyOverrides {
  /** The community's action for ordinary channels. */
  action?: SafetyAction;
  /** The whole community is adult (a Telegram group an admin marked adult). */
  adult?: boolean;
  /** Per channel (or Telegram topic): wins over everything but an API tier's minimum. */
  channels?: Record<string, SafetyAction>;
  thresholds?: Partial<SafetyThresholds>;
  unknown?: UnknownRule;
}

/** Where an image is going, as the front end knows it. */
export interface SafetyPlace {
  /** The platform says so: a Discord channel marked NSFW (age-restricted). */
  ageRestricted: boolean;
  /** A private chat with the bot. */
  privateChat?: boolean;
  channelId?: string;
  /** A floor no override goes under: an API key tier that requires `blur` or `block`. */
  minimum?: SafetyAction;
}

/** The policy in force in a place: channel setting > community setting > config default; then the floor. */
export function resolvePlaceSafety(
  settings: SafetySettings,
  overrides: SafetyOverrides | undefined,
  place: SafetyPlace,
): PlaceSafety {
  const o = overrides ?? {};
  const adult =
    place.ageRestricted || o.adult === true || (place.privateChat === true && settings.privateChatsAdult);
  const base = adult ? settings.adultAction : (o.action ?? settings.action);
  const channel = place.channelId !== undefined ? o.channels?.[place.channelId] : undefined;
  const rule = o.unknown ?? settings.unknown;
  return {
    enabled: settings.enabled,
    action: stricter(channel ?? base, place.minimum),
    unknown: rule === 'unsafe-outside-adult' ? (adult ? 'safe' : 'unsafe') : rule,
    // A floor of `blur` or `block` (an API tier) promises that nothing unchecked is shown openly: a video,
    // which cannot be blurred, is then withheld.
    unclassifiable: place.minimum === 'blur' || place.minimum === 'block' ? 'block' : settings.unclassifiable,
    thresholds: { ...settings.thresholds, ...o.thresholds },
    adult,
  };
}

/** An admin's change: a channel's action set (or cleared with `undefined`), the rest kept. */
export function withChannelAction(
  overrides: SafetyOverrides | undefined,
  channelId: string,
  action: SafetyAction | undefined,
): SafetyOverrides {
  const channels = { ...overrides?.channels };
  if (action === undefined) delete channels[channelId];
  else channels[channelId] = action;
  return { ...overrides, channels };
}
