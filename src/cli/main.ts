import { dispatch } from './dispatch.ts';
import { type CliIo, Exit } from './io.ts';
import { langFlag, pickLocale } from './locale.ts';

// The entry point of `comfyrelay` (bin/comfyrelay.js imports this file): wire the process, run, exit.

/** The real process: stdio, environment, Ctrl-C. */
function processIo(argv: readonly string[]): CliIo {
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

const argv = process.argv.slice(2);
dispatch(argv, processIo(argv)).then(exit, (error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  exit(Exit.failed);
});
