import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The layers, lowest first; a file may import its own layer and any layer listed in `may`. */
const layers: { name: string; dir: string; may: string[] }[] = [
  { name: 'shared', dir: 'src/shared', may: [] },
  { name: 'comfy', dir: 'src/comfy', may: ['shared'] },
  { name: 'workflows', dir: 'src/workflows', may: ['shared'] },
  { name: 'config', dir: 'src/config', may: ['shared'] },
  { name: 'core', dir: 'src/core', may: ['shared', 'comfy', 'workflows', 'config'] },
  { name: 'commands', dir: 'commands', may: ['shared', 'workflows', 'core'] },
  { name: 'adapters', dir: 'src/adapters', may: ['shared', 'workflows', 'config', 'core', 'commands'] },
  { name: 'cli', dir: 'src/cli', may: ['shared', 'workflows', 'config', 'core', 'commands'] },
];

const layerOf = (file: string) => layers.find((l) => file === l.dir || file.startsWith(`${l.dir}/`));

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return sources(path);
    return /\.(ts|js)$/.test(e.name) ? [path] : [];
  });
}

const files = [...sources('src'), ...sources('commands')];
const importRe = /(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

/** Every relative import between two files, as project-relative paths. */
const edges = files.flatMap((from) =>
  [...readFileSync(join(root, from), 'utf8').matchAll(importRe)].map((m) => ({
    from,
    to: relative(root, normalize(join(root, dirname(from), m[1] as string))),
  })),
);

/**
 * Front ends take the core's ports (src/core/ports), never the composition root's whole App nor the
 * backend pool (whose backends hold ComfyUI clients).
 */
const pastThePorts = ({ from, to }: { from: string; to: string }) =>
  (from.startsWith('src/cli/') || from.startsWith('src/adapters/')) &&
  (to === 'src/core/app.ts' || to.startsWith('src/core/pool/'));

describe('architecture', () => {
  it('GIVEN every import in src/ and commands/ THEN it points to its own layer or one below', () => {
    const upward = edges.filter(({ from, to }) => {
      const a = layerOf(from);
      const b = layerOf(to);
      if (!a) return false; // the composition root (src/main.ts) may import anything
      if (!b) return true; // a layer importing the composition root
      return a !== b && !a.may.includes(b.name);
    });
    assert.deepEqual(
      upward.map((e) => `${e.from} -> ${e.to}`),
      [],
    );
  });

  it('GIVEN the layer graph THEN it has no cycle', () => {
    const next = new Map<string, Set<string>>();
    for (const { from, to } of edges) {
      const a = layerOf(from)?.name;
      const b = layerOf(to)?.name;
      if (a && b && a !== b) next.set(a, (next.get(a) ?? new Set()).add(b));
    }
    const visiting = new Set<string>();
    const done = new Set<string>();
    const visit = (n: string, path: string[]): void => {
      assert.ok(!visiting.has(n), `cycle: ${[...path, n].join(' -> ')}`);
      if (done.has(n)) return;
      visiting.add(n);
      for (const m of next.get(n) ?? []) visit(m, [...path, n]);
      visiting.delete(n);
      done.add(n);
    };
    for (const l of layers) visit(l.name, []);
  });

  it('GIVEN every adapter and every CLI file THEN none imports core/app.ts or core/pool/', () => {
    assert.deepEqual(
      edges.filter(pastThePorts).map((e) => `${e.from} -> ${e.to}`),
      [],
    );
  });

  it('GIVEN the ports rule THEN it sees an adapter or CLI file reaching the App or the pool', () => {
    assert.ok(pastThePorts({ from: 'src/adapters/discord/index.ts', to: 'src/core/app.ts' }));
    assert.ok(pastThePorts({ from: 'src/cli/imagine.ts', to: 'src/core/pool/backend-pool.ts' }));
    assert.ok(pastThePorts({ from: 'src/adapters/http/index.ts', to: 'src/core/app.ts' }));
    assert.ok(pastThePorts({ from: 'src/adapters/telegram/bot.ts', to: 'src/core/pool/backend.ts' }));
    assert.ok(!pastThePorts({ from: 'src/adapters/http/index.ts', to: 'src/core/ports/api-ports.ts' }));
    assert.ok(!pastThePorts({ from: 'src/cli/imagine.ts', to: 'src/core/ports/index.ts' }));
    assert.ok(edges.some((e) => e.from.startsWith('src/cli/') && e.to.startsWith('src/core/')));
    for (const adapter of ['discord', 'telegram', 'http'])
      assert.ok(
        edges.some((e) => e.from.startsWith(`src/adapters/${adapter}/`) && e.to.startsWith('src/core/')),
        `no import of the core read from src/adapters/${adapter}`,
      );
  });

  it('GIVEN the rule checker THEN it sees an upward import (the check can fail)', () => {
    const a = layerOf('src/workflows/x.ts');
    const b = layerOf('src/core/jobs/types.ts');
    assert.ok(a && b && !a.may.includes(b.name));
    assert.ok(edges.length > 300, `only ${edges.length} imports read`);
  });
  it('GIVEN every source file in src/ and commands/ THEN none is over 300 lines', () => {
    const long = files
      .map((f) => ({ f, lines: readFileSync(join(root, f), 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > 301);
    assert.deepEqual(
      long.map(({ f, lines }) => `${f}: ${lines}`),
      [],
    );
  });
});
