// The test runner behind `npm test`. Node's runner starts one process per test file; on two cores the
// start-up and imports of ~170 processes cost more CPU than many of the tests themselves. So the files
// of a folder that tolerates it share one process (run one after another there). The others keep a
// process each: the engine's cluster tests (child relays, one Redis each) and Discord's (which hang
// when they share a process: not yet found why). A few processes run at once; each one's events are
// reported when it ends.
//   node scripts/run-tests.ts            every test file
//   node scripts/run-tests.ts FILE...    just these files, each in its own process
import { fork } from 'node:child_process';
import { glob } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Readable } from 'node:stream';
import { spec } from 'node:test/reporters';

/** Folders whose files share one process per line; a file in no line gets a process of its own. */
const SHARED = [
  ['test/e2e/http/'],
  ['test/unit/', 'test/conformance/', 'test/fakes/'],
  ['test/integration/comfy/', 'test/integration/safety/', 'test/integration/quota/'],
  ['test/e2e/telegram/'],
  ['test/e2e/cli/'],
];
/** One more than the cores: a process waiting on a timer or a child leaves a core to another. */
const AT_ONCE = availableParallelism() + 1;
const WORKER = new URL('./test-worker.ts', import.meta.url);

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

/** Seconds a file takes alone, where far from the usual ~2 s (a shared unit-sized file: ~0.6 s). */
const SLOW: Record<string, number> = {
  'test/integration/engine/faults.test.ts': 20,
  'test/integration/engine/takeover.test.ts': 10,
  'test/integration/engine/shared-queue.test.ts': 10,
  'test/e2e/discord/resilience.test.ts': 9,
  'test/integration/engine/engine.test.ts': 8,
};
const UNIT_SIZED = ['test/unit/', 'test/conformance/', 'test/fakes/'];
const estimate = (f: string) => SLOW[f] ?? (UNIT_SIZED.some((dir) => f.startsWith(dir)) ? 0.6 : 2);

/** The processes to run, longest first, so that no long one starts late and ends the run alone. */
function processes(files: string[]): string[][] {
  const lineOf = (f: string) => SHARED.findIndex((line) => line.some((dir) => f.startsWith(dir)));
  const shared = SHARED.map((_, i) => files.filter((f) => lineOf(f) === i)).filter((g) => g.length);
  const all = [...shared, ...files.filter((f) => lineOf(f) < 0).map((f) => [f])];
  const cost = (group: string[]) => group.reduce((sum, f) => sum + estimate(f), 0);
  return all.sort((a, b) => cost(b) - cost(a));
}

/** Runs one process's files; resolves with its events, plus a failure if the process itself failed. */
function runProcess(files: string[]): Promise<TestEvent[]> {
  return new Promise((resolve) => {
    const events: TestEvent[] = [];
    const child = fork(WORKER, files, { serialization: 'advanced', stdio: 'inherit' });
    child.on('message', (event: TestEvent) => events.push(event));
    child.on('exit', (code, signal) => {
      if (code !== 0) {
        const error = new Error(
          `test process for ${files.join(', ')} ended with ${signal ?? `code ${code}`}`,
        );
        events.push({
          type: 'test:fail',
          data: { name: files.join(', '), nesting: 0, details: { error } },
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
    if (event.type === 'test:fail') failed = true;
    const perRun = !event.data.file;
    if (event.type === 'test:summary' && perRun && event.data.counts) {
      for (const k of Object.keys(total) as (keyof Counts)[]) total[k] += event.data.counts[k];
    }
    if (event.type === 'test:diagnostic' && perRun) continue;
    yield event;
  }
}

const named = process.argv.slice(2);
const groups = named.length ? named.map((f) => [f]) : processes(await allTestFiles());
const started = Date.now();
const report = Readable.from(counted(runAll(groups))).compose(new spec());
for await (const chunk of report) process.stdout.write(chunk);
console.log(
  `all test files: ${total.tests} tests, ${total.passed} passed, ${total.failed} failed, ${total.cancelled} cancelled, ${total.skipped} skipped, ${total.todo} todo, ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
if (failed || total.failed > 0 || total.cancelled > 0) process.exitCode = 1;
