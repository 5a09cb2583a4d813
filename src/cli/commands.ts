import type { CliIo } from './io.ts';

/** A command: its arguments after the command name in, an exit code out. */
export type CliCommand = (args: readonly string[], io: CliIo) => Promise<number>;

/** Loads a command's module on use: each command pays only for its own imports at startup. */
export type LazyCommand = (args: readonly string[]) => Promise<CliCommand>;

/** A command that reads the configuration file, whose sections the platforms' descriptors define. */
const readingConfig =
  (load: () => Promise<CliCommand>): LazyCommand =>
  async () => {
    const run = await load();
    return async (args, io) => run(args, await withPlatforms(io));
  };

async function withPlatforms(io: CliIo): Promise<CliIo> {
  if (io.platforms || !io.loadPlatforms) return io;
  return { ...io, platforms: await io.loadPlatforms() };
}

/** Every command by name; a new one (`keys`) is one more line here. */
export const COMMANDS: Readonly<Record<string, LazyCommand>> = {
  imagine: readingConfig(async () => (await import('./imagine.ts')).runImagine),
  doctor: readingConfig(async () => (await import('./doctor.ts')).runDoctor),
  // `inspect` reads one file: neither the configuration nor the template loader. The list reads two keys
  // of the configuration, and loads the platforms' sections only if the file needs checking in full.
  workflows: async (args) =>
    args[0] === 'inspect'
      ? async (rest, io) => (await import('./inspect.ts')).runInspect(rest.slice(1), io)
      : args[0] === 'convert'
        ? async (rest, io) => (await import('./convert.ts')).runConvert(rest.slice(1), io)
        : (await import('./workflows.ts')).runWorkflows,
  keys: readingConfig(async () => (await import('./keys.ts')).runKeys),
  retention: readingConfig(async () => (await import('./retention.ts')).runRetentionCommand),
};
