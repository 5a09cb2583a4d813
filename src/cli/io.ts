import type { PlatformModule } from '../core/platforms/platform-module.ts';
import type { Locale } from '#shared/i18n.ts';
import type { Env } from './locale.ts';

/** Where a command's text goes: the process's stdout/stderr, or a test's buffer. */
export type CliOutput = NodeJS.WritableStream & { isTTY?: boolean };
/** Where `doctor --fix` reads the operator's answers: the terminal, when there is one. */
export type CliInput = NodeJS.ReadableStream & { isTTY?: boolean };

/** Ctrl-C as a command hears it: the process entry feeds it from SIGINT; in-process runs may trigger it. */
export interface Interrupts {
  /** Calls `listener` on each interrupt; the returned function unregisters it. */
  listen(listener: () => void): () => void;
}

/** What a command may touch of its process: injected so the commands stay plain functions. */
export interface CliIo {
  /** A line (or block) for stdout: results. */
  out(text: string): void;
  /** A line for stderr: progress, warnings, errors. */
  err(text: string): void;
  /** Raw text to stderr, for redrawing the progress line in place. */
  errRaw(text: string): void;
  /** Whether stderr is a terminal (progress redrawn in place). */
  isTTY: boolean;
  /** stderr as a stream, for what writes on its own (the engine's log, the questions of `doctor --fix`). */
  stderr: CliOutput;
  /** The terminal answers come from; absent when nobody can answer. */
  stdin?: CliInput;
  env: Env;
  cwd: string;
  /** The platforms whose sections the configuration file may hold; none when absent (engine keys only). */
  platforms?: readonly PlatformModule[];
  /** Loads `platforms` for the commands that read the configuration (the others never import them). */
  loadPlatforms?: () => Promise<readonly PlatformModule[]>;
  /** `--lang`, else `LC_ALL`/`LANG`, else the configured locale, else English. */
  locale(configured?: Locale): Locale;
  /** Calls `listener` on Ctrl-C (SIGINT) instead of exiting; the returned function unregisters it. */
  onInterrupt(listener: () => void): () => void;
}

/** Exit codes: 0 ok, 1 something failed or is broken, 2 bad usage or configuration, 130 interrupted. */
export const Exit = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;
