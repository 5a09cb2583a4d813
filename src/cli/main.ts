import type { PlatformModule } from '../core/platforms/platform-module.ts';
import { dispatch } from './dispatch.ts';
import { type CliIo, Exit } from './io.ts';
import { langFlag, pickLocale } from './locale.ts';

// `comfyrelay` in this process: wire stdio, run, exit. The entry (`src/cli-main.ts`, which
// bin/comfyrelay.js imports) passes how to load the platforms, whose sections the configuration file may
// hold: only the commands that read it load them.

/** The real process: stdio, environment, Ctrl-C. */
function processIo(argv: readonly string[], loadPlatforms: () => Promise<readonly PlatformModule[]>): CliIo {
  const interrupts = new Set<() => void>();
  process.on('SIGINT', () => {
    if (interrupts.size === 0) process.exit(Exit.interrupted);
    for (const listener of [...interrupts]) listener();
  });
  const lang = langFlag(argv);
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    errRaw: (text) => process.stderr.write(text),
    isTTY: process.stderr.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
    loadPlatforms,
    locale: (configured) => pickLocale(lang, process.env, configured),
    onInterrupt(listener) {
      interrupts.add(listener);
      return () => interrupts.delete(listener);
    },
  };
}

/** Exits once stdout has been written out (a pipe may still be draining). */
function exit(code: number): void {
  process.stdout.write('', () => process.exit(code));
}

/** Runs the command in `process.argv` and exits with its code. */
export function runCli(loadPlatforms: () => Promise<readonly PlatformModule[]>): void {
  const argv = process.argv.slice(2);
  dispatch(argv, processIo(argv, loadPlatforms)).then(exit, (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    exit(Exit.failed);
  });
}
