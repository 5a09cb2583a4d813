import { type FakeComfy, startFakeComfy } from '../../fakes/comfy/index.ts';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runCli as runCliInProcess } from '../../../src/cli/run-cli.ts';

import { cleanUpProcesses } from './process.ts';

export { cleanUpProcesses, runCliProcess, startCliProcess } from './process.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface CliRun {
  /** Text so far; complete once `done` resolved. */
  stdout(): string;
  stderr(): string;
  /** Ctrl-C, as the process entry passes on SIGINT. */
  interrupt(): void;
  done: Promise<{ code: number; stdout: string; stderr: string }>;
}

/** A stream that keeps what is written, as text. */
function textSink(): { stream: Writable; text(): string } {
  let text = '';
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

/**
 * Runs `comfyrelay …` in this process (`runCli`, what the binary runs), with the environment given
 * (plus PATH, LANG=C) and stdio captured: the command's behaviour without a process start each time.
 */
export function startCli(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): CliRun {
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', LANG: 'C', ...options.env };
  const stdout = textSink();
  const stderr = textSink();
  const listeners = new Set<() => void>();
  const done = runCliInProcess(args, {
    stdout: stdout.stream,
    stderr: stderr.stream,
    env,
    cwd: options.cwd,
    interrupts: {
      listen(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    loadPlatforms: async () => (await import('../../../src/platforms.ts')).PLATFORMS,
  }).then((code) => ({ code, stdout: stdout.text(), stderr: stderr.text() }));
  return {
    stdout: stdout.text,
    stderr: stderr.text,
    interrupt: () => {
      for (const listener of [...listeners]) listener();
    },
    done,
  };
}

export function runCli(args: readonly string[], options: { cwd: string; env?: Record<string, string> }) {
  return startCli(args, options).done;
}

/** Resolves when `check()` is true, polling; rejects after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface Workspace {
  dir: string;
  config: string;
  out: string;
  workflows: string;
}

const dirs: string[] = [];

/**
 * A temp folder with a `workflows/` holding the named shipped templates (and their manifests) and a
 * `config.yaml` pointing at the given backends.
 */
export function workspace(templates: readonly string[], backends: readonly string[], extra = ''): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'comfyrelay-cli-'));
  dirs.push(dir);
  const workflows = join(dir, 'workflows');
  mkdirSync(workflows);
  for (const name of templates) {
    for (const file of [`${name}.json`, `${name}.manifest.yaml`, `${name}.manifest.json`]) {
      const from = join(ROOT, 'workflows', file);
      if (existsSync(from)) copyFileSync(from, join(workflows, file));
    }
  }
  const list = backends.map((url, i) => `  - name: gpu${i + 1}\n    url: ${url}`).join('\n');
  const config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    `backends:\n${list}\nworkflowsDir: ./workflows\nprogress: { intervalMs: 100 }\n${extra}`,
  );
  return { dir, config, out: join(dir, 'out'), workflows };
}

/** For `after()`: kills every child process still running and removes the temp folders. */
export function cleanUp(): void {
  cleanUpProcesses();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export const SD15_CHECKPOINT = 'v1-5-pruned-emaonly.safetensors';
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Fake ComfyUI servers with the SD 1.5 checkpoint, one list per test file, closed together. */
export function fakeComfies() {
  const started: FakeComfy[] = [];
  return {
    async start(stepDelayMs: number): Promise<FakeComfy> {
      const f = await startFakeComfy({ models: { checkpoints: [SD15_CHECKPOINT] }, stepDelayMs });
      started.push(f);
      return f;
    },
    closeAll: () => Promise.all(started.map((f) => f.close())),
  };
}
export const promptPosts = (f: FakeComfy) =>
  f.requests.filter((r) => r.method === 'POST' && /\/prompt$/.test(r.path));
export const isQueueDelete = (r: FakeComfy['requests'][number]) =>
  r.method === 'POST' && /\/queue$/.test(r.path);
