import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type FakeComfy, startFakeComfy } from '../../fakes/comfy/index.ts';
import { SD15_MODELS, waitFor, WORKFLOWS_DIR } from '../../helpers/app.ts';

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

describe('recovery after SIGKILL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'comfyrelay-recovery-'));
  let fake: FakeComfy | undefined;
  after(async () => {
    for (const c of children) c.kill('SIGKILL');
    await fake?.close();
    if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
    else console.log('DIR', dir);
  });

  it('GIVEN a real ComfyRelay process killed mid-job THEN after a restart the job is delivered exactly once, without running twice', async () => {
    fake = await startFakeComfy({ models: SD15_MODELS, stepDelayMs: 40 });
    const sink = join(dir, 'deliveries.log');
    const env = {
      CHILD_CONFIG: JSON.stringify({
        backends: [{ name: 'gpu', url: fake.url }],
        workflowsDir: WORKFLOWS_DIR,
        dataDir: join(dir, 'data'),
        logLevel: 'silent',
      }),
      CHILD_SINK: sink,
    };
    const first = startChild({ ...env, CHILD_SUBMIT: '1' });
    await waitFor(() => /JOB (\w+)/.test(first.output()), 20_000, 'the first process accepted a job');
    const jobId = /JOB (\w+)/.exec(first.output())![1]!;
    await waitFor(() => fake!.queueIds().running !== null, 10_000, 'the job running on ComfyUI');
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    assert.ok(!existsSync(sink), 'nothing was delivered before the kill');

    const second = startChild(env);
    await waitFor(
      () => existsSync(sink) && readFileSync(sink, 'utf8').includes(jobId),
      30_000,
      'delivery after restart',
    ).catch((e) => {
      throw new Error(`${e.message}; second process said: ${second.output()}`);
    });
    await new Promise((r) => setTimeout(r, 500));
    const lines = readFileSync(sink, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { job: string; files: string[]; pid: number });
    assert.equal(lines.filter((l) => l.job === jobId).length, 1, 'delivered exactly once');
    assert.equal(lines[0]!.pid, second.child.pid);
    assert.equal(lines[0]!.files.length, 1);
    const prompts = fake.requests.filter((q) => q.method === 'POST' && q.path === '/prompt');
    assert.equal(
      prompts.length,
      1,
      'the restarted process re-attached to the running prompt instead of submitting it again',
    );
  });
});
