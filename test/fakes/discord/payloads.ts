/** API objects for guilds, channels, roles and members, as Discord sends them. */
import { userToApi } from './messages.ts';
import type { FakeChannel, FakeGuild, FakeMember, FakeRole, FakeState, Obj } from './state.ts';

/** Administrator-free "everything a bot normally has" permissions, as a string like Discord sends. */
export const DEFAULT_PERMISSIONS = '2248473465835073';

export function channelToApi(c: FakeChannel): Obj {
  if (c.guildId === null) return { id: c.id, type: 1, last_message_id: null, recipients: [], flags: 0 };
  return {
    id: c.id,
    type: c.type,
    guild_id: c.guildId,
    name: c.name,
    position: c.position,
    permission_overwrites: [],
    nsfw: c.nsfw,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
    parent_id: null,
    flags: 0,
  };
}

export function roleToApi(r: FakeRole): Obj {
  return {
    id: r.id,
    name: r.name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: r.position,
    permissions: r.permissions,
    managed: false,
    mentionable: false,
    flags: 0,
  };
}

export function memberToApi(state: FakeState, m: FakeMember, withPermissions = false): Obj {
  return {
    user: userToApi(state, m.userId),
    nick: null,
    avatar: null,
    banner: null,
    roles: m.roles,
    joined_at: new Date(m.joinedAt).toISOString(),
    premium_since: null,
    deaf: false,
    mute: false,
    pending: false,
    flags: 0,
    communication_disabled_until: null,
    ...(withPermissions ? { permissions: m.permissions } : {}),
  };
}

/** Full guild object of GUILD_CREATE (gateway-events.mdx "Guild Create" extra fields included). */
export function guildCreatePayload(state: FakeState, g: FakeGuild): Obj {
  const channels = g.channelIds.flatMap((id) => {
    const c = state.channels.get(id);
    return c ? [channelToApi(c)] : [];
  });
  return {
    id: g.id,
    name: g.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: g.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: g.roles.map(roleToApi),
    emojis: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: g.locale,
    public_updates_channel_id: null,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    stickers: [],
    joined_at: new Date(g.joinedAt).toISOString(),
    large: false,
    unavailable: false,
    member_count: g.members.size,
    voice_states: [],
    members: [...g.members.values()].map((m) => memberToApi(state, m)),
    channels,
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export function guildToApi(state: FakeState, g: FakeGuild): Obj {
  const {
    channels: _c,
    members: _m,
    threads: _t,
    presences: _p,
    voice_states: _v,
    ...rest
  } = guildCreatePayload(state, g);
  return rest;
}
