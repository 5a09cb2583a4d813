import type { PlatformModule } from '../core/platforms/platform-module.ts';
import { dispatch } from './dispatch.ts';
import { type CliInput, type CliIo, type CliOutput, Exit, type Interrupts } from './io.ts';
import { type Env, langFlag, pickLocale } from './locale.ts';

// `comfyrelay` as a function: the arguments and the process's parts in, the exit code out. The process
// entry (`process-entry.ts`) hands it the real stdio, environment and Ctrl-C, and alone exits; tests call
// it in-process with buffers. Nothing here outlives a run: no handler is installed, no state is kept.

export interface CliOptions {
  stdout: CliOutput;
  stderr: CliOutput;
  /** Answers to `doctor --fix`'s questions, when it is a terminal. */
  stdin?: CliInput;
  env: Env;
  cwd: string;
  /** Ctrl-C; without it a run is never interrupted. */
  interrupts?: Interrupts;
  /** The platforms whose sections the configuration file may hold, loaded only by the commands reading it. */
  loadPlatforms?: () => Promise<readonly PlatformModule[]>;
}

const NEVER_INTERRUPTED: Interrupts = { listen: () => () => {} };

/** Runs `comfyrelay <argv…>` and resolves with its exit code; an unexpected error is printed, exit 1. */
export async function runCli(argv: readonly string[], options: CliOptions): Promise<number> {
  try {
    return await dispatch(argv, cliIo(argv, options));
  } catch (error) {
    options.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return Exit.failed;
  }
}

function cliIo(argv: readonly string[], options: CliOptions): CliIo {
  const { stdout, stderr, env } = options;
  const lang = langFlag(argv);
  const interrupts = options.interrupts ?? NEVER_INTERRUPTED;
  return {
    out: (text) => void stdout.write(`${text}\n`),
    err: (text) => void stderr.write(`${text}\n`),
    errRaw: (text) => void stderr.write(text),
    isTTY: stderr.isTTY === true,
    stderr,
    // Read on use: the process's stdin is made only when `doctor --fix` asks whether it is a terminal.
    get stdin() {
      return options.stdin;
    },
    env,
    cwd: options.cwd,
    loadPlatforms: options.loadPlatforms,
    locale: (configured) => pickLocale(lang, env, configured),
    onInterrupt: (listener) => interrupts.listen(listener),
  };
}
