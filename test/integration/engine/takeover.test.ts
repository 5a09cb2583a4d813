import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type FakeComfy, startFakeComfy } from '../../fakes/comfy/index.ts';
import { SD15_MODELS, waitFor, WORKFLOWS_DIR } from '../../helpers/app.ts';
import { type RedisServer, startRedis } from '../../helpers/redis-server.ts';

const CHILD = join(import.meta.dirname, 'child.ts');
const children: ChildProcess[] = [];

function startChild(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [CHILD], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => {
    out += String(d);
  });
  child.stderr!.on('data', (d) => {
    out += String(d);
  });
  return { child, output: () => out };
}

const ids = (output: string, word: string) =>
  [...output.matchAll(new RegExp(`${word} (\\w+)`, 'g'))].map((m) => m[1]!);

describe('two processes on one Redis', () => {
  const dir = mkdtempSync(join(tmpdir(), 'comfyrelay-takeover-'));
  const fakes: FakeComfy[] = [];
  let redis: RedisServer | undefined;
  after(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await Promise.all(fakes.map((f) => f.close()));
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GIVEN one of two processes killed and never restarted THEN all its jobs are delivered by the other, each once and run once', async () => {
    redis = await startRedis();
    for (let i = 0; i < 2; i++) fakes.push(await startFakeComfy({ models: SD15_MODELS, stepDelayMs: 30 }));
    const sink = join(dir, 'deliveries.log');
    const env = (instance: string) => ({
      CHILD_CONFIG: JSON.stringify({
        backends: fakes.map((f, i) => ({ name: `gpu${i + 1}`, url: f.url })),
        workflowsDir: WORKFLOWS_DIR,
        storage: { redisUrl: redis!.url },
        logLevel: 'silent',
      }),
      CHILD_SINK: sink,
      CHILD_INSTANCE: instance,
      CHILD_LEASE_MS: '1000',
    });
    const survivor = startChild(env('b'));
    await waitFor(() => survivor.output().includes('READY'), 20_000, 'the surviving process started');
    const doomed = startChild({ ...env('a'), CHILD_SUBMIT: '6' });
    await waitFor(
      () => ids(doomed.output(), 'JOB').length === 6,
      20_000,
      'six jobs accepted by the doomed process',
    );
    await waitFor(() => ids(doomed.output(), 'DISPATCHED').length > 0, 20_000, 'the doomed process runs one');
    doomed.child.kill('SIGKILL');
    await once(doomed.child, 'exit');
    const jobs = ids(doomed.output(), 'JOB');
    const held = ids(doomed.output(), 'DISPATCHED').filter(
      (id) => !ids(doomed.output(), 'DELIVERING').includes(id),
    );

    const delivered = () =>
      existsSync(sink)
        ? readFileSync(sink, 'utf8')
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as { job: string; pid: number })
        : [];
    await waitFor(
      () => jobs.every((id) => delivered().some((d) => d.job === id)),
      60_000,
      'every job delivered',
    ).catch((e: Error) => {
      throw new Error(`${e.message}; survivor said: ${survivor.output().slice(-2000)}`);
    });
    await new Promise((r) => setTimeout(r, 1500));
    for (const id of jobs)
      assert.equal(delivered().filter((d) => d.job === id).length, 1, `job ${id} delivered exactly once`);
    assert.ok(held.length > 0, 'the killed process held jobs when it died');
    for (const id of held)
      assert.equal(delivered().find((d) => d.job === id)?.pid, survivor.child.pid, `job ${id} taken over`);
    const prompts = fakes.flatMap((f) =>
      f.requests.filter((q) => q.method === 'POST' && q.path === '/prompt'),
    );
    assert.equal(prompts.length, jobs.length, 'no job ran twice');
    survivor.child.kill('SIGKILL');
    await once(survivor.child, 'exit');
  });

  it('GIVEN SIGTERM THEN the stopping process lets go of its running jobs and the other takes them over at once', async () => {
    const sink = join(dir, 'drain.log');
    const env = (instance: string) => ({
      CHILD_CONFIG: JSON.stringify({
        backends: fakes.map((f, i) => ({ name: `gpu${i + 1}`, url: f.url })),
        workflowsDir: WORKFLOWS_DIR,
        storage: { redisUrl: redis!.url },
        logLevel: 'silent',
      }),
      CHILD_SINK: sink,
      CHILD_INSTANCE: instance,
      // Far longer than the wait below: only a job let go of can be taken over in time.
      CHILD_LEASE_MS: '120000',
    });
    // Held mid-run: they cannot end before the stopping process lets go of them.
    for (const f of fakes) f.stall(true);
    const stopping = startChild({ ...env('c'), CHILD_SUBMIT: '2' });
    await waitFor(() => ids(stopping.output(), 'DISPATCHED').length === 2, 20_000, 'both jobs running in it');
    const other = startChild(env('d'));
    await waitFor(() => other.output().includes('READY'), 20_000, 'the other process started');
    stopping.child.kill('SIGTERM');
    await once(stopping.child, 'exit');
    for (const f of fakes) f.stall(false);
    const jobs = ids(stopping.output(), 'JOB');
    const lines = () =>
      existsSync(sink)
        ? readFileSync(sink, 'utf8')
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as { job: string; pid: number })
        : [];
    await waitFor(() => jobs.every((id) => lines().some((l) => l.job === id)), 30_000, 'both delivered');
    for (const id of jobs) assert.equal(lines().filter((l) => l.job === id).length, 1);
    assert.ok(
      lines().every((l) => l.pid === other.child.pid),
      'delivered by the process that took them over',
    );
  });
});
