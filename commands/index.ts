import { admin } from './admin.ts';
import { imagine } from './imagine.ts';
import { help, queue, quota, workflows } from './info.ts';
import { cancel, link, show } from './jobs.ts';
import { settings } from './settings.ts';
import type { CommandSpec } from './types.ts';

/** Every chat command, platform-neutral: Discord slash commands and Telegram's command list come from here. */
export const COMMANDS: readonly CommandSpec[] = [
  imagine,
  settings,
  queue,
  cancel,
  quota,
  show,
  workflows,
  help,
  link,
  admin,
];

export const commandByName = (name: string): CommandSpec | undefined => COMMANDS.find((c) => c.name === name);

export type { CommandContext, CommandOption, CommandReply, CommandSpec } from './types.ts';
