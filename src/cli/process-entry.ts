import type { PlatformModule } from '../core/platforms/platform-module.ts';
import { Exit, type Interrupts } from './io.ts';
import { runCli } from './run-cli.ts';

/**
 * `comfyrelay` as a process: `runCli` on the real stdio and environment, Ctrl-C from SIGINT (a command
 * that is not listening is left at once, exit 130), and the exit once stdout has been written out (a
 * pipe may still be draining). The only place that installs a signal handler or exits.
 */
export function runProcess(loadPlatforms: () => Promise<readonly PlatformModule[]>): void {
  const options = {
    stdout: process.stdout,
    stderr: process.stderr,
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    cwd: process.cwd(),
    interrupts: sigint(),
    loadPlatforms,
  };
  void runCli(process.argv.slice(2), options).then(exit);
}

function sigint(): Interrupts {
  const listeners = new Set<() => void>();
  process.on('SIGINT', () => {
    if (listeners.size === 0) process.exit(Exit.interrupted);
    for (const listener of [...listeners]) listener();
  });
  return {
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function exit(code: number): void {
  // Set first: when nothing else is left to run, the process may end before the write's callback.
  process.exitCode = code;
  process.stdout.write('', () => process.exit(code));
}
