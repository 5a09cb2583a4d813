import type { SafetyOverrides } from '../safety/place-safety.ts';
import type { Store } from '../storage/store.ts';

/** What a community's admins decided: where the bot works, what it may make, who may use it. */
export interface CommunityPolicy {
  /** Channels where /imagine works; empty means everywhere. */
  allowedChannels: string[];
  /** Words refused in prompts (case-insensitive, whole words). */
  bannedWords: string[];
  /** User ids (on this platform) who may not use the bot here. */
  bannedUsers: string[];
  /** Per channel: the only templates allowed there. */
  channelTemplates: Record<string, string[]>;
  /** Role id → quota tier name. */
  roleTiers: Record<string, string>;
  /** Show live previews while generating. */
  previews: boolean;
  /** Image safety: the community's and its channels' policy (`/admin safety`); absent: config defaults. */
  safety?: SafetyOverrides;
}

export const DEFAULT_POLICY: CommunityPolicy = {
  allowedChannels: [],
  bannedWords: [],
  bannedUsers: [],
  channelTemplates: {},
  roleTiers: {},
  previews: true,
};

export const communityKey = (platform: string, communityId: string): string => `${platform}:${communityId}`;

export class CommunityPolicies {
  readonly #store: Store<unknown>;
  constructor(store: Store<unknown>) {
    this.#store = store;
  }

  async get(platform: string, communityId: string | undefined): Promise<CommunityPolicy> {
    if (!communityId) return { ...DEFAULT_POLICY };
    const raw = (await this.#store.get(communityKey(platform, communityId))) as
      | Partial<CommunityPolicy>
      | undefined;
    return { ...DEFAULT_POLICY, ...(raw ?? {}) };
  }

  async update(
    platform: string,
    communityId: string,
    change: (p: CommunityPolicy) => void,
  ): Promise<CommunityPolicy> {
    const policy = await this.get(platform, communityId);
    change(policy);
    await this.#store.set(communityKey(platform, communityId), policy);
    return policy;
  }
}

/** The first banned word the text contains, as a whole word (any script), or undefined. */
export function findBannedWord(text: string, banned: readonly string[]): string | undefined {
  const lower = text.toLowerCase();
  return banned.find((word) => {
    const w = word.toLowerCase().trim();
    if (!w) return false;
    // CJK text has no spaces between words: a plain substring is the only meaningful match there.
    if (/[\u3040-\u30ff\u3400-\u9fff]/.test(w)) return lower.includes(w);
    const escaped = w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, 'u').test(lower);
  });
}
