import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The engine process of `test/integration/engine/child.ts` (its env variables are described there). */
const CHILD = join(import.meta.dirname, '../integration/engine/child.ts');

export interface ChildRelay {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** The job ids it printed after `word` (`JOB`, `DISPATCHED`, `DELIVERING`), in order. */
  ids(word: string): string[];
  /** Lets a child started with `CHILD_WAIT_GO=1` start its engine. */
  go(): void;
  /** Sends `signal` and waits for it to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const running = new Set<ChildProcess>();

/**
 * A real ComfyRelay engine process, for what only a real process shows (SIGKILL, SIGTERM). It inherits
 * the environment, NODE_COMPILE_CACHE included, so it starts on the test run's compiled modules.
 */
export function startChildRelay(env: Record<string, string>): ChildRelay {
  const child = spawn(process.execPath, [CHILD], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  // A `GO` written to a child that has died is dropped.
  child.stdin!.on('error', () => {});
  let out = '';
  child.stdout!.on('data', (d) => {
    out += String(d);
  });
  child.stderr!.on('data', (d) => {
    out += String(d);
  });
  return {
    child,
    output: () => out,
    go: () => void child.stdin!.write('GO\n'),
    ids: (word) => [...out.matchAll(new RegExp(`${word} (\\w+)`, 'g'))].map((m) => m[1]!),
    async kill(signal = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}

/** SIGKILLs every child relay still running (a test file's `after`). */
export function killChildRelays(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** The deliveries the children appended to `sink`, one JSON line each. */
export function deliveries(sink: string): { job: string; files: string[]; pid: number }[] {
  if (!existsSync(sink)) return [];
  return readFileSync(sink, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { job: string; files: string[]; pid: number });
}
