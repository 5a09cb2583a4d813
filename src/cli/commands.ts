import { runDoctor } from './doctor.ts';
import { runImagine } from './imagine.ts';
import type { CliIo } from './io.ts';
import { runKeys } from './keys.ts';
import { runWorkflows } from './workflows.ts';

/** A command: its arguments after the command name in, an exit code out. */
export type CliCommand = (args: readonly string[], io: CliIo) => Promise<number>;

/** Every command by name; a new one (`keys`) is one more line here. */
export const COMMANDS: Readonly<Record<string, CliCommand>> = {
  imagine: runImagine,
  doctor: runDoctor,
  workflows: runWorkflows,
  keys: runKeys,
};
