import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { redisServerPath } from '../../test/helpers/test-deps.ts';

/**
 * A redis-server that writes every command to its append-only file (fsync each), on a fixed port, so
 * it can be killed and started again with nothing lost: what an operator running Redis as ComfyRelay's
 * store must configure.
 */
export class DurableRedis {
  readonly port: number;
  readonly #dir: string;
  #child: ChildProcess | undefined;

  private constructor(port: number, dir: string) {
    this.port = port;
    this.#dir = dir;
  }

  static async start(dir: string): Promise<DurableRedis> {
    const redis = new DurableRedis(await freePort(), dir);
    await redis.#spawn();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Kills it (SIGKILL, no goodbye) and starts it again from its files after `downMs`. */
  async restart(downMs: number): Promise<void> {
    await this.stop('SIGKILL');
    await new Promise((r) => setTimeout(r, downMs));
    await this.#spawn();
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
  }

  async #spawn(): Promise<void> {
    const binary = redisServerPath();
    if (!binary) throw new Error('redis-server not found (apt-get install redis-server)');
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.#dir];
    args.push('--appendonly', 'yes', '--appendfsync', 'always', '--save', '');
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 10_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}:\n${output}`));
      });
    });
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
