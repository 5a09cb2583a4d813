import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  cleanUp,
  fakeComfies,
  isQueueDelete,
  PNG_SIGNATURE,
  promptPosts,
  runCli,
  startCli,
  waitFor,
  workspace,
} from './helpers.ts';

const comfies = fakeComfies();
const fake = comfies.start;

describe('comfyrelay imagine', () => {
  after(async () => {
    cleanUp();
    await comfies.closeAll();
  });

  it('GIVEN a prompt with flags THEN saves valid PNGs named with the seed, shows progress and prints paths', async () => {
    // Each step outlasts the progress pace (100 ms); the jobs may finish fast once a step line is out.
    const f = await fake(100);
    const ws = workspace(['sd15-txt2img'], [f.url]);
    const run = startCli(
      ['imagine', 'a red fox --steps 8 --seed 42 --n 2', '--out', ws.out, '--config', ws.config],
      { cwd: ws.dir },
    );
    await waitFor(() => /\d+%.*step \d+\/8/.test(run.stderr()), 15_000);
    f.setStepDelay(0);
    const r = await run.done;
    assert.equal(r.code, 0, r.stderr);
    const files = readdirSync(ws.out).sort();
    assert.equal(files.length, 2);
    for (const name of files) {
      assert.match(name, /^[a-z0-9]+_42_[12]\.png$/);
      assert.deepEqual(readFileSync(join(ws.out, name)).subarray(0, 8), PNG_SIGNATURE);
      assert.ok(r.stdout.includes(join(ws.out, name)), r.stdout);
    }
    assert.match(r.stdout, /seed 42/);
    assert.match(r.stderr, /\d+%.*step \d+\/8/);
    assert.equal(promptPosts(f).length, 1);
  });

  it('GIVEN --json THEN stdout is exactly one JSON result', async () => {
    const f = await fake(5);
    const ws = workspace(['sd15-txt2img'], [f.url]);
    const r = await runCli(
      ['imagine', 'a lighthouse --seed 7 --steps 4', '--json', '--out', ws.out, '--config', ws.config],
      {
        cwd: ws.dir,
      },
    );
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as {
      jobId: string;
      seed: number;
      template: string;
      files: string[];
      durationMs: number;
    };
    assert.equal(result.seed, 7);
    assert.equal(result.template, 'sd15-txt2img');
    assert.equal(result.files.length, 1);
    assert.equal(basename(result.files[0] ?? ''), `${result.jobId}_7_1.png`);
    assert.ok(result.durationMs >= 0);
  });

  it('GIVEN Ctrl-C while the job runs THEN that prompt alone is interrupted on ComfyUI and the exit code is 130', async () => {
    const f = await fake(100);
    const ws = workspace(['sd15-txt2img'], [f.url]);
    const run = startCli(['imagine', 'a slow cat --steps 30', '--out', ws.out, '--config', ws.config], {
      cwd: ws.dir,
    });
    await waitFor(() => /step \d+\/30/.test(run.stderr()), 15_000);
    // The GPU holds the job between two steps until the cancel reached ComfyUI: it is still running then.
    f.stall(true);
    run.interrupt();
    await waitFor(() => f.interrupts.byPromptId.length > 0 || f.requests.some(isQueueDelete));
    f.stall(false);
    const r = await run.done;
    assert.equal(r.code, 130, r.stderr);
    const promptId = (promptPosts(f)[0]?.json as { prompt_id?: string } | undefined)?.prompt_id;
    assert.ok(promptId);
    const deleted = f.requests.some(
      (q) => /\/queue$/.test(q.path) && JSON.stringify(q.json ?? {}).includes(promptId),
    );
    assert.ok(f.interrupts.byPromptId.includes(promptId) || deleted, JSON.stringify(f.interrupts));
    assert.equal(f.interrupts.global, 0);
    assert.deepEqual(readdirSync(ws.dir).includes('out') ? readdirSync(ws.out) : [], []);
  });

  /** The resources in `after` beyond those of `before`, counted by kind. */
  const added = (before: string[], after: string[]) => {
    const left = [...before];
    return after.filter((r) => {
      const at = left.indexOf(r);
      if (at < 0) return true;
      left.splice(at, 1);
      return false;
    });
  };

  it('GIVEN a run in this process THEN it leaves no timer, socket or signal handler behind', async () => {
    const f = await fake(5);
    const ws = workspace(['sd15-txt2img'], [f.url]);
    const resources = () => process.getActiveResourcesInfo().sort();
    const timers = (names: string[]) => names.filter((n) => n === 'Timeout' || n === 'Immediate');
    const before = resources();
    const sigint = process.listenerCount('SIGINT');
    const r = await runCli(['imagine', 'a cat --steps 4', '--out', ws.out, '--config', ws.config], {
      cwd: ws.dir,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(added(before, timers(resources())), []);
    // Sockets the fake ComfyUI closes on its side may take a turn of the loop to go. Only what the run
    // added counts: other files in this process may close their own sockets meanwhile.
    await waitFor(() => added(before, resources()).length === 0).catch(() => {});
    assert.deepEqual(added(before, resources()), []);
    assert.equal(process.listenerCount('SIGINT'), sigint);
  });

  it('GIVEN an out-of-range flag THEN a clear message, a non-zero exit and nothing queued', async () => {
    const f = await fake(5);
    const ws = workspace(['sd15-txt2img'], [f.url]);
    const r = await runCli(['imagine', 'a cat --steps 1e9', '--out', ws.out, '--config', ws.config], {
      cwd: ws.dir,
    });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--steps must be between 1 and 50/);
    assert.equal(promptPosts(f).length, 0);
  });

  it('GIVEN --lang zh THEN the message is in Chinese, and with --json the error is JSON', async () => {
    const f = await fake(5);
    const ws = workspace(['sd15-txt2img'], [f.url]);
    const zh = await runCli(['imagine', 'a cat --steps 1e9', '--lang', 'zh', '--config', ws.config], {
      cwd: ws.dir,
    });
    assert.notEqual(zh.code, 0);
    assert.match(zh.stderr, /--steps 必须在 1 到 50 之间/);
    const json = await runCli(['imagine', 'a cat --workflow nope', '--json', '--config', ws.config], {
      cwd: ws.dir,
    });
    assert.notEqual(json.code, 0);
    const parsed = JSON.parse(json.stdout) as { error: { code: string; message: string } };
    assert.match(parsed.error.code, /^grammar\.template\.unknown/);
    assert.match(parsed.error.message, /nope/);
    assert.equal(promptPosts(f).length, 0);
  });

  it('GIVEN a node that fails on ComfyUI THEN the node and the reason are shown, exit 1', async () => {
    const f = await fake(5);
    f.failNode('KSampler', 'mat1 and mat2 shapes cannot be multiplied', 'RuntimeError');
    const ws = workspace(['sd15-txt2img'], [f.url]);
    const r = await runCli(['imagine', 'a cat --steps 4', '--out', ws.out, '--config', ws.config], {
      cwd: ws.dir,
    });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /KSampler/);
    assert.match(r.stderr, /mat1 and mat2 shapes cannot be multiplied/);
  });

  it('GIVEN an unreachable --backend THEN says so and exits 1', async () => {
    const f = await fake(5);
    const ws = workspace(['sd15-txt2img'], [f.url]);
    const r = await runCli(['imagine', 'a cat', '--backend', 'http://127.0.0.1:1', '--config', ws.config], {
      cwd: ws.dir,
    });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /UNREACHABLE/);
    assert.equal(promptPosts(f).length, 0);
  });
});
