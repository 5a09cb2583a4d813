import { ApplicationCommandOptionType, PermissionFlagsBits, type REST, Routes } from 'discord.js';
import type { CommandOption, CommandSpec } from '../../../commands/index.ts';

const TYPES = {
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  number: ApplicationCommandOptionType.Number,
  boolean: ApplicationCommandOptionType.Boolean,
  attachment: ApplicationCommandOptionType.Attachment,
} as const;
const NAME = /^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$/u;
const MAX_INT = 2 ** 53;
const cut = (s: string, n = 100) => ([...s].length > n ? `${[...s].slice(0, n - 1).join('')}…` : s);

type Json = Record<string, unknown>;

function option(o: CommandOption): Json {
  if (!NAME.test(o.name)) throw new Error(`invalid option name ${o.name}`);
  const clamp = (v: number) => Math.max(-MAX_INT, Math.min(MAX_INT, v));
  return {
    type: TYPES[o.kind],
    name: o.name,
    description: cut(o.description.en),
    ...(o.description.zh ? { description_localizations: { 'zh-CN': cut(o.description.zh) } } : {}),
    ...(o.required ? { required: true } : {}),
    ...(o.choices && !o.autocomplete
      ? { choices: o.choices.slice(0, 25).map((c) => ({ name: cut(c.name), value: c.value })) }
      : {}),
    ...(o.autocomplete ? { autocomplete: true } : {}),
    ...(o.min === undefined ? {} : { min_value: clamp(o.min) }),
    ...(o.max === undefined ? {} : { max_value: clamp(o.max) }),
    ...(o.kind === 'string' && o.maxLength ? { max_length: Math.min(6000, o.maxLength) } : {}),
  };
}

/** Slash-command JSON derived from the platform-neutral specs (required options first, Discord's limits applied). */
export function slashCommands(specs: readonly CommandSpec[]): Json[] {
  return specs.map((spec) => {
    if (!NAME.test(spec.name)) throw new Error(`invalid command name ${spec.name}`);
    if (spec.options.length > 25) throw new Error(`command ${spec.name} has more than 25 options`);
    const options = [...spec.options].sort((a, b) => Number(!!b.required) - Number(!!a.required)).map(option);
    return {
      type: 1,
      name: spec.name,
      description: cut(spec.description.en),
      description_localizations: { 'zh-CN': cut(spec.description.zh) },
      options,
      ...(spec.admin
        ? { default_member_permissions: String(PermissionFlagsBits.ManageGuild), contexts: [0] }
        : {}),
    };
  });
}

const KEYS = [
  'type',
  'name',
  'description',
  'description_localizations',
  'options',
  'default_member_permissions',
  'contexts',
  'required',
  'choices',
  'autocomplete',
  'min_value',
  'max_value',
  'max_length',
  'value',
];

/** The fields we set, without Discord's defaults (`required: false`, empty lists, nulls), keys sorted. */
function strip(v: unknown): never {
  if (Array.isArray(v)) return v.map(strip) as never;
  if (!v || typeof v !== 'object') return v as never;
  const out: Json = {};
  for (const k of KEYS.filter((k) => k in v).sort()) {
    const x = (v as Json)[k];
    if (x === undefined || x === null || x === false || (Array.isArray(x) && x.length === 0)) continue;
    out[k] = k === 'description_localizations' ? x : strip(x);
  }
  return out as never;
}

/** Whether what Discord has differs from what we want (order of commands does not matter). */
export function commandsDiffer(existing: readonly unknown[], desired: readonly Json[]): boolean {
  const key = (list: readonly unknown[]) =>
    JSON.stringify(list.map(strip).sort((a: Json, b: Json) => String(a.name).localeCompare(String(b.name))));
  return key(existing) !== key(desired);
}

/** Registers the commands (globally or in one guild) only when they changed: GET, diff, then PUT. */
export async function registerCommands(
  rest: REST,
  appId: string,
  specs: readonly CommandSpec[],
  guildId?: string,
): Promise<boolean> {
  const route = guildId ? Routes.applicationGuildCommands(appId, guildId) : Routes.applicationCommands(appId);
  const desired = slashCommands(specs);
  if (
    !commandsDiffer(
      (await rest.get(route, { query: new URLSearchParams({ with_localizations: 'true' }) })) as unknown[],
      desired,
    )
  )
    return false;
  await rest.put(route, { body: desired });
  return true;
}
