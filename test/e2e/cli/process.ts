import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The real binary as a child process, for the few tests that prove the process itself: its entry,
// its signal handling and exit codes, what it loads. Command behaviour is tested in-process (helpers.ts).

const BIN = join(resolve(dirname(fileURLToPath(import.meta.url)), '../../..'), 'bin/comfyrelay.js');

export interface CliProcess {
  child: ChildProcess;
  /** Text so far; complete once `done` resolved. */
  stdout(): string;
  stderr(): string;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** Children still alive are killed by `cleanUpProcesses()`. */
const children = new Set<ChildProcess>();

/** Starts `bin/comfyrelay.js …` with this test's Node 24 (`process.execPath`). */
export function startCliProcess(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): CliProcess {
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', LANG: 'C', ...options.env };
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  const done = new Promise<Awaited<CliProcess['done']>>((r) =>
    child.on('close', (code, signal) => {
      children.delete(child);
      r({ code, signal, stdout: out, stderr: err });
    }),
  );
  return { child, stdout: () => out, stderr: () => err, done };
}

export function runCliProcess(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
) {
  return startCliProcess(args, options).done;
}

/** For `after()`: kills every child still running. */
export function cleanUpProcesses(): void {
  for (const c of children) c.kill('SIGKILL');
  children.clear();
}
