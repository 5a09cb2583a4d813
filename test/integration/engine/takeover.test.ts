import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type FakeComfy, startFakeComfy } from '../../fakes/comfy/index.ts';
import { SD15_MODELS, WORKFLOWS_DIR, waitFor } from '../../helpers/app.ts';
import { type ChildRelay, deliveries, killChildRelays, startChildRelay } from '../../helpers/child-relay.ts';
import { promptPosts } from '../../helpers/engine-harness.ts';
import { type RedisServer, startRedis } from '../../helpers/redis-server.ts';

describe('two processes on one Redis', () => {
  const dir = mkdtempSync(join(tmpdir(), 'comfyrelay-takeover-'));
  const fakes: FakeComfy[] = [];
  let redis: RedisServer | undefined;
  /** A child process on the shared Redis and both fakes, delivering to `sink`. */
  const env = (instance: string, sink: string, leaseMs: number) => ({
    CHILD_CONFIG: JSON.stringify({
      backends: fakes.map((f, i) => ({ name: `gpu${i + 1}`, url: f.url })),
      workflowsDir: WORKFLOWS_DIR,
      storage: { redisUrl: redis!.url },
      logLevel: 'silent',
    }),
    CHILD_SINK: sink,
    CHILD_INSTANCE: instance,
    CHILD_LEASE_MS: String(leaseMs),
  });
  // The SIGTERM test's processes, with a lease far longer than its waits (only a job let go of can be
  // taken over in time), delivering to their own file. Both load and wait for `GO`: the first test
  // starts their loading while it waits on a lease, or else the second test does.
  const LONG_LEASE = 120_000;
  let sigtermPair: { stopping: ChildRelay; other: ChildRelay } | undefined;
  const loadSigtermPair = () => {
    const sink = join(dir, 'drain.log');
    sigtermPair ??= {
      stopping: startChildRelay({ ...env('c', sink, LONG_LEASE), CHILD_SUBMIT: '2', CHILD_WAIT_GO: '1' }),
      other: startChildRelay({ ...env('d', sink, LONG_LEASE), CHILD_WAIT_GO: '1' }),
    };
    return { ...sigtermPair, sink };
  };
  after(async () => {
    killChildRelays();
    await Promise.all(fakes.map((f) => f.close()));
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GIVEN one of two processes killed and never restarted THEN all its jobs are delivered by the other, each once and run once', async () => {
    redis = await startRedis();
    for (let i = 0; i < 2; i++) fakes.push(await startFakeComfy({ models: SD15_MODELS, stepDelayMs: 5 }));
    const sink = join(dir, 'deliveries.log');
    // Both load at once. The backends hold every job mid-run until the kill, so the doomed process
    // surely holds running jobs when it dies: it starts first to get some, the survivor before the kill.
    const survivor = startChildRelay({ ...env('b', sink, 1000), CHILD_WAIT_GO: '1' });
    const doomed = startChildRelay({ ...env('a', sink, 1000), CHILD_SUBMIT: '6', CHILD_WAIT_GO: '1' });
    for (const f of fakes) f.stall(true);
    await waitFor(() => doomed.output().includes('LOADED'), 20_000, 'the doomed process loaded');
    doomed.go();
    await waitFor(() => doomed.ids('JOB').length === 6, 20_000, 'six jobs accepted by the doomed process');
    await waitFor(() => doomed.ids('DISPATCHED').length > 0, 20_000, 'the doomed process runs one');
    await waitFor(() => survivor.output().includes('LOADED'), 20_000, 'the surviving process loaded');
    survivor.go();
    await waitFor(() => survivor.output().includes('READY'), 20_000, 'the surviving process started');
    await doomed.kill('SIGKILL');
    for (const f of fakes) f.stall(false);
    loadSigtermPair();
    const jobs = doomed.ids('JOB');
    const held = doomed.ids('DISPATCHED').filter((id) => !doomed.ids('DELIVERING').includes(id));

    const delivered = () => deliveries(sink);
    await waitFor(
      () => jobs.every((id) => delivered().some((d) => d.job === id)),
      60_000,
      'every job delivered',
    ).catch((e: Error) => {
      throw new Error(`${e.message}; survivor said: ${survivor.output().slice(-2000)}`);
    });
    // One lease and one orphan scan more: a second takeover of a delivered job would show by then.
    await new Promise((r) => setTimeout(r, 1500));
    for (const id of jobs)
      assert.equal(delivered().filter((d) => d.job === id).length, 1, `job ${id} delivered exactly once`);
    assert.ok(held.length > 0, 'the killed process held jobs when it died');
    for (const id of held)
      assert.equal(delivered().find((d) => d.job === id)?.pid, survivor.child.pid, `job ${id} taken over`);
    const prompts = fakes.flatMap(promptPosts);
    assert.equal(prompts.length, jobs.length, 'no job ran twice');
    await survivor.kill('SIGKILL');
  });

  it('GIVEN SIGTERM THEN the stopping process lets go of its running jobs and the other takes them over at once', async () => {
    const { stopping, other, sink } = loadSigtermPair();
    // Held mid-run: they cannot end before the stopping process lets go of them.
    for (const f of fakes) f.stall(true);
    await waitFor(() => stopping.output().includes('LOADED'), 20_000, 'the stopping process loaded');
    stopping.go();
    await waitFor(() => stopping.ids('DISPATCHED').length === 2, 20_000, 'both jobs running in it');
    // The other starts only once both jobs run in the stopping one.
    await waitFor(() => other.output().includes('LOADED'), 20_000, 'the other process loaded');
    other.go();
    await waitFor(() => other.output().includes('READY'), 20_000, 'the other process started');
    await stopping.kill('SIGTERM');
    for (const f of fakes) f.stall(false);
    const jobs = stopping.ids('JOB');
    const lines = () => deliveries(sink);
    await waitFor(() => jobs.every((id) => lines().some((l) => l.job === id)), 30_000, 'both delivered');
    for (const id of jobs) assert.equal(lines().filter((l) => l.job === id).length, 1);
    assert.ok(
      lines().every((l) => l.pid === other.child.pid),
      'delivered by the process that took them over',
    );
  });
});
