import { readFileSync } from 'node:fs';
import { nearest } from '#shared/nearest.ts';
import { COMMANDS } from './commands.ts';
import { type CliIo, Exit } from './io.ts';
import { translate } from './messages.ts';

/** `comfyrelay <command> …`: picks the command, or answers --help / --version / a typo. */
export async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  const tr = translate(io.locale());
  const version = packageVersion();
  if (first === '--version' || first === '-v') {
    io.out(version);
    return Exit.ok;
  }
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.out(tr('cli.help.main', { version }));
    return first === undefined ? Exit.usage : Exit.ok;
  }
  const command = COMMANDS[first];
  if (command) return (await command(rest))(rest, io);
  const suggestion = nearest(first, Object.keys(COMMANDS));
  io.err(
    suggestion
      ? tr('cli.command.unknown_suggest', { command: first, suggestion })
      : tr('cli.command.unknown', { command: first }),
  );
  io.err(tr('cli.args.see_help', { command: 'comfyrelay' }));
  return Exit.usage;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return pkg.version ?? '0.0.0';
}
