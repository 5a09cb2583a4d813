import type { UserMessage } from '#shared/i18n.ts';
import { err, ok, type Result } from '#shared/result.ts';
import { type SafetyOverrides, type UnknownRule, withChannelAction } from './place-safety.ts';
import { isSafetyAction, type SafetyAction, type SafetyThresholds } from './policy.ts';

/** One change an admin makes to a community's safety policy; an absent value goes back to the default. */
export type SafetyChange =
  | { kind: 'channel'; channelId: string; action?: SafetyAction }
  | { kind: 'community'; action?: SafetyAction }
  | { kind: 'adult'; adult: boolean }
  | { kind: 'thresholds'; thresholds?: Partial<SafetyThresholds> }
  | { kind: 'unknown'; unknown?: UnknownRule };

const UNKNOWN_RULES: readonly UnknownRule[] = ['unsafe-outside-adult', 'unsafe', 'safe'];
const usage: UserMessage = { code: 'safety.admin.usage' };
const isDefault = (v: string) => /^(default|reset|clear|默认)$/i.test(v);

/** The overrides after a change (a new object; the old one is kept for the audit). */
export function applySafetyChange(
  overrides: SafetyOverrides | undefined,
  change: SafetyChange,
): SafetyOverrides {
  const o: SafetyOverrides = { ...overrides };
  const set = <K extends keyof SafetyOverrides>(key: K, value: SafetyOverrides[K] | undefined) => {
    if (value === undefined) delete o[key];
    else o[key] = value;
  };
  switch (change.kind) {
    case 'channel':
      return withChannelAction(o, change.channelId, change.action);
    case 'community':
      set('action', change.action);
      return o;
    case 'adult':
      set('adult', change.adult ? true : undefined);
      return o;
    case 'thresholds':
      set('thresholds', change.thresholds && { ...o.thresholds, ...change.thresholds });
      return o;
    case 'unknown':
      set('unknown', change.unknown);
      return o;
  }
}

/**
 * `/admin safety <sub> <value>` as a change: `channel blur` (this channel or topic), `community block`,
 * `adult on`, `thresholds explicit=0.7 suggestive=0.85`, `unknown unsafe`; `default` clears a setting.
 */
export function parseSafetyChange(
  sub: string,
  value: string,
  place: { channelId?: string },
): Result<SafetyChange, UserMessage> {
  const v = value.trim().toLowerCase();
  switch (sub) {
    case 'channel': {
      if (!place.channelId) return err({ code: 'safety.admin.noChannel' });
      if (isDefault(v)) return ok({ kind: 'channel', channelId: place.channelId });
      return isSafetyAction(v) ? ok({ kind: 'channel', channelId: place.channelId, action: v }) : err(usage);
    }
    case 'community':
      if (isDefault(v)) return ok({ kind: 'community' });
      return isSafetyAction(v) ? ok({ kind: 'community', action: v }) : err(usage);
    case 'adult':
      if (/^(on|true|yes|1|开)$/.test(v)) return ok({ kind: 'adult', adult: true });
      if (/^(off|false|no|0|关)$/.test(v) || isDefault(v)) return ok({ kind: 'adult', adult: false });
      return err(usage);
    case 'unknown':
      if (isDefault(v)) return ok({ kind: 'unknown' });
      return (UNKNOWN_RULES as readonly string[]).includes(v)
        ? ok({ kind: 'unknown', unknown: v as UnknownRule })
        : err(usage);
    case 'thresholds':
      return isDefault(v) ? ok({ kind: 'thresholds' }) : parseThresholds(v);
    default:
      return err(usage);
  }
}

function parseThresholds(v: string): Result<SafetyChange, UserMessage> {
  const thresholds: Partial<SafetyThresholds> = {};
  for (const pair of v.split(/[\s,]+/).filter(Boolean)) {
    const [key, raw] = pair.split('=');
    const n = Number(raw);
    if ((key !== 'explicit' && key !== 'suggestive') || !raw || !(n > 0 && n <= 1)) return err(usage);
    thresholds[key] = n;
  }
  return Object.keys(thresholds).length > 0 ? ok({ kind: 'thresholds', thresholds }) : err(usage);
}
