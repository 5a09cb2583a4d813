import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const CLI = join(ROOT, 'src/cli-main.ts');

export interface CliRun {
  child: ChildProcess;
  /** Text so far; complete once `done` resolved. */
  stdout(): string;
  stderr(): string;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** Children still alive are killed in `after()`. */
const children = new Set<ChildProcess>();
const dirs: string[] = [];

/** Starts `comfyrelay …` as a child process (Node 24: the test's own `process.execPath`). */
export function startCli(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): CliRun {
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', LANG: 'C', ...options.env };
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  const done = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((r) =>
    child.on('close', (code, signal) => {
      children.delete(child);
      r({ code, signal, stdout: out, stderr: err });
    }),
  );
  return { child, stdout: () => out, stderr: () => err, done };
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

/** For `after()`: kills every child still running and removes the temp folders. */
export function cleanUp(): void {
  for (const c of children) c.kill('SIGKILL');
  children.clear();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export const SD15_CHECKPOINT = 'v1-5-pruned-emaonly.safetensors';
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
