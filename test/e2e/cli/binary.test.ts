import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  cleanUp,
  fakeComfies,
  isQueueDelete,
  PNG_SIGNATURE,
  promptPosts,
  ROOT,
  runCliProcess,
  startCliProcess,
  waitFor,
  workspace,
} from './helpers.ts';

// The real `bin/comfyrelay.js` as a process: its entry, stdio, signal handling and exit codes. What each
// command does is tested in-process (the other files here), through the same `runCli`.

const comfies = fakeComfies();
const fake = comfies.start;

// Each test runs its own processes against its own fake ComfyUI: they may run side by side.
describe('the comfyrelay binary', { concurrency: true }, () => {
  after(async () => {
    cleanUp();
    await comfies.closeAll();
  });

  it('GIVEN --help, --version, a typo and a missing file THEN answers on stdout/stderr with exit 0, 0, 2 and 1', async () => {
    const [help, version, typo, missing] = await Promise.all([
      runCliProcess(['--help'], { cwd: ROOT }),
      runCliProcess(['--version'], { cwd: ROOT }),
      runCliProcess(['doctr'], { cwd: ROOT }),
      runCliProcess(['workflows', 'inspect', 'no-such-file.json'], { cwd: ROOT }),
    ]);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /imagine/);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(version.code, 0);
    assert.equal(version.stdout.trim(), pkg.version);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /did you mean "doctor"/);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no-such-file\.json/);
  });

  it('GIVEN imagine against ComfyUI THEN writes the PNG, prints its path, shows progress, exit 0', async () => {
    // Each step outlasts the progress pace (100 ms) several times over, and the job is only let finish
    // once a step line is out: a run that printed no progress while its sampler worked cannot pass.
    const f = await fake(300);
    const ws = workspace(['sd15-txt2img'], [f.url]);
    const run = startCliProcess(
      ['imagine', 'a red fox --steps 4 --seed 42', '--out', 'out', '--config', ws.config],
      { cwd: ws.dir },
    );
    await Promise.race([
      waitFor(() => /step \d+\/4/.test(run.stderr()), 30_000),
      run.done.then((r) => assert.fail(`ended before any progress line:\n${r.stderr}`)),
    ]);
    f.setStepDelay(0);
    const r = await run.done;
    assert.equal(r.code, 0, r.stderr);
    const files = readdirSync(ws.out);
    assert.equal(files.length, 1);
    const [name] = files;
    assert.match(name ?? '', /^[a-z0-9]+_42_1\.png$/);
    assert.deepEqual(readFileSync(join(ws.out, name ?? '')).subarray(0, 8), PNG_SIGNATURE);
    assert.ok(r.stdout.includes(join(ws.out, name ?? '')), r.stdout);
    assert.match(r.stderr, /step \d+\/4/);
    assert.equal(promptPosts(f).length, 1);
  });

  it('GIVEN SIGINT while imagine runs THEN the prompt is interrupted on ComfyUI and the exit code is 130', async () => {
    const f = await fake(100);
    const ws = workspace(['sd15-txt2img'], [f.url]);
    const run = startCliProcess(
      ['imagine', 'a slow cat --steps 30', '--out', ws.out, '--config', ws.config],
      {
        cwd: ws.dir,
      },
    );
    await waitFor(() => /step \d+\/30/.test(run.stderr()), 15_000);
    // The GPU holds the job between two steps until the cancel reached ComfyUI: it is still running then.
    f.stall(true);
    run.child.kill('SIGINT');
    await waitFor(() => f.interrupts.byPromptId.length > 0 || f.requests.some(isQueueDelete));
    f.stall(false);
    const r = await run.done;
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /Canceled\./);
    const promptId = (promptPosts(f)[0]?.json as { prompt_id?: string } | undefined)?.prompt_id;
    assert.ok(promptId);
    const deleted = f.requests.some(
      (q) => /\/queue$/.test(q.path) && JSON.stringify(q.json ?? {}).includes(promptId),
    );
    assert.ok(f.interrupts.byPromptId.includes(promptId) || deleted, JSON.stringify(f.interrupts));
    assert.equal(f.interrupts.global, 0);
  });
});
