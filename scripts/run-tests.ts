// The test runner behind `npm test`. Node's runner starts one process per test file; on two cores the
// start-up and imports of ~170 processes cost more CPU than many of the tests themselves. So the files
// of a folder share one process (run one after another there; every file is imported first, so a
// file's top-level hooks are the whole process's). A file that changes process-wide state
// (environment, prototypes, process listeners) restores it when done, or the files after it see it:
// discord.js's ShardingManager, for one, marks its process as a shard's parent in process.env
// (see test/e2e/discord/sharding.test.ts). A few processes run at once; each one's events are
// reported when it ends.
// Which files share a process and in what order processes start: scripts/test-plan.ts.
//   node scripts/run-tests.ts            every test file
//   node scripts/run-tests.ts FILE...    just these files, each in its own process
// Environment: TEST_TIMES=1 prints when each process ran, its CPU and the slowest files;
// TEST_PROCESSES=N runs N processes at once; TEST_PROCESS_TIMEOUT_S (300) bounds each process.
import { fork } from 'node:child_process';
import { glob } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Readable } from 'node:stream';
import { spec } from 'node:test/reporters';
import { testProcesses } from './test-plan.ts';

/** Processes at once: more than the cores, as a process waiting on a timer or a child leaves its core. */
const AT_ONCE = Number(process.env.TEST_PROCESSES ?? availableParallelism() + 1);
const WORKER = new URL('./test-worker.ts', import.meta.url);
/** A test process still running after this is killed and reported as failed. */
const PROCESS_TIMEOUT_MS = Number(process.env.TEST_PROCESS_TIMEOUT_S ?? 300) * 1000;

type TestEvent = { type: string; data: { nesting?: number; file?: string; counts?: Counts } };
type Counts = {
  tests: number;
  passed: number;
  failed: number;
  cancelled: number;
  skipped: number;
  todo: number;
};

async function allTestFiles(): Promise<string[]> {
  const files: string[] = [];
  for await (const file of glob('test/**/*.test.ts')) files.push(file);
  return files.sort();
}

/** Each file's time in its tests (the sum of its top-level tests and suites), for `TEST_TIMES=1`. */
const fileMs = new Map<string, number>();
/** When each process ran and the CPU it used, printed at the end with `TEST_TIMES=1`. */
const timeline: { files: string[]; startedAt: number; endedAt: number; cpuMs: number }[] = [];

/** The tests a process started and never ended, or that all its tests ended (a handle left open). */
function unfinished(events: TestEvent[]): string {
  const open = new Map<string, string>();
  for (const { type, data } of events) {
    const key = `${data.file}|${data.nesting}|${(data as { name?: string }).name}`;
    if (type === 'test:dequeue') open.set(key, `${data.file}: ${(data as { name?: string }).name}`);
    else if (type === 'test:complete' || type === 'test:pass' || type === 'test:fail') open.delete(key);
  }
  return open.size
    ? `still running: ${[...open.values()].join('; ')}`
    : 'every test had ended: something a test left open kept the process alive';
}

/** Runs one process's files; resolves with its events, plus a failure if the process itself failed. */
function runProcess(files: string[]): Promise<TestEvent[]> {
  return new Promise((resolve) => {
    const events: TestEvent[] = [];
    const startedAt = Date.now();
    let cpuMs = Number.NaN;
    const child = fork(WORKER, files, { serialization: 'advanced', stdio: 'inherit' });
    // Past each test's own timeout (test-worker.ts), a process still alive is stuck outside any test.
    let timedOut = false;
    const watchdog = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, PROCESS_TIMEOUT_MS);
    child.on('message', (event: TestEvent & { data: { cpuMs?: number } }) => {
      if (event.type === 'worker:cpu') cpuMs = event.data.cpuMs ?? cpuMs;
      else events.push(event);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(watchdog);
      timeline.push({ files, startedAt, endedAt: Date.now(), cpuMs });
      if (code !== 0) {
        const error = new Error(
          timedOut
            ? `test process for ${files.join(', ')} did not end within ${PROCESS_TIMEOUT_MS / 1000} s; ${unfinished(events)}`
            : `test process for ${files.join(', ')} ended with ${signal ?? `code ${code}`}`,
        );
        events.push({
          type: 'test:fail',
          data: { name: files.join(', '), nesting: 0, details: { error }, processFailure: true },
        } as TestEvent);
      }
      resolve(events);
    });
  });
}

/** Every process's events, a whole process at a time, with at most `AT_ONCE` running. */
async function* runAll(groups: string[][]): AsyncGenerator<TestEvent> {
  const queue = [...groups];
  const running = new Set<Promise<void>>();
  const done: TestEvent[][] = [];
  let wake: () => void = () => {};
  const start = () => {
    const files = queue.shift();
    if (!files) return;
    const p = runProcess(files).then((events) => {
      running.delete(p);
      done.push(events);
      start();
      wake();
    });
    running.add(p);
  };
  for (let i = 0; i < AT_ONCE; i++) start();
  while (running.size > 0 || done.length > 0) {
    if (done.length === 0) await new Promise<void>((r) => (wake = r));
    yield* done.shift() ?? [];
  }
}

const total: Counts = { tests: 0, passed: 0, failed: 0, cancelled: 0, skipped: 0, todo: 0 };
let failed = false;
/** Counts the runs' totals and keeps the per-run summary lines out of the report (one total at the end). */
async function* counted(events: AsyncIterable<TestEvent>): AsyncGenerator<TestEvent> {
  for await (const event of events) {
    const { file, nesting, details, skip, todo, processFailure } = event.data as TestEvent['data'] & {
      details?: { duration_ms?: number; type?: string; error?: { failureType?: string } };
      skip?: unknown;
      todo?: unknown;
      processFailure?: boolean;
    };
    const ended = event.type === 'test:pass' || event.type === 'test:fail';
    if (ended && nesting === 0 && file)
      fileMs.set(file, (fileMs.get(file) ?? 0) + (details?.duration_ms ?? 0));
    // Counted from each test's own end, as node:test's summary counts them: a process ended after its
    // tests (a leaked handle, test-worker.ts) or killed by the watchdog sends no summary of its own.
    if (ended && (details?.type !== 'suite' || processFailure)) {
      total.tests++;
      if (skip) total.skipped++;
      else if (todo) total.todo++;
      else if (event.type === 'test:pass') total.passed++;
      else if (details?.error?.failureType === 'cancelledByParent') total.cancelled++;
      else total.failed++;
    }
    if (event.type === 'test:fail' && !todo) failed = true;
    const perRun = !file;
    if (event.type === 'test:diagnostic' && perRun) continue;
    yield event;
  }
}

const named = process.argv.slice(2);
const groups = named.length ? named.map((f) => [f]) : testProcesses(await allTestFiles());
const started = Date.now();
const report = Readable.from(counted(runAll(groups))).compose(new spec());
for await (const chunk of report) process.stdout.write(chunk);
console.log(
  `all test files: ${total.tests} tests, ${total.passed} passed, ${total.failed} failed, ${total.cancelled} cancelled, ${total.skipped} skipped, ${total.todo} todo, ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
if (process.env.TEST_TIMES) {
  const s = (ms: number) => (ms / 1000).toFixed(1).padStart(6);
  console.log('  start    end   wall    cpu  process');
  for (const p of timeline.sort((a, b) => a.startedAt - b.startedAt)) {
    const name = p.files.length > 1 ? `${p.files[0]} and ${p.files.length - 1} more` : p.files[0];
    console.log(
      `${s(p.startedAt - started)} ${s(p.endedAt - started)} ${s(p.endedAt - p.startedAt)} ${s(p.cpuMs)}  ${name}`,
    );
  }
  console.log('  tests  file (the 25 slowest)');
  for (const [file, ms] of [...fileMs].sort((a, b) => b[1] - a[1]).slice(0, 25))
    console.log(`${s(ms)}  ${file}`);
}
if (failed || total.failed > 0 || total.cancelled > 0) process.exitCode = 1;
