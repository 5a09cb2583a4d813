// The test runner behind `npm test`. Node's runner starts one process per test file, and on two cores
// the start-up and imports of ~90 small unit files cost more CPU than their tests. So the unit-sized
// files (test/unit, test/conformance, test/fakes) share one process (`isolation: 'none'`), while the
// end-to-end and integration files, which start servers, child processes and browsers and install
// process-wide handlers, keep a process each, two at a time. Both runs go on at once into one report.
//   node scripts/run-tests.ts            every test file
//   node scripts/run-tests.ts FILE...    just these files, each in its own process
import { glob } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';

const SHARED_PROCESS = ['test/unit/', 'test/conformance/', 'test/fakes/'];

type TestEvent = { type: string; data: { nesting?: number; file?: string; counts?: Counts } };
type Counts = {
  tests: number;
  passed: number;
  failed: number;
  cancelled: number;
  skipped: number;
  todo: number;
};

async function testFiles(): Promise<{ shared: string[]; isolated: string[] }> {
  const all: string[] = [];
  for await (const file of glob('test/**/*.test.ts')) all.push(file);
  all.sort();
  const inShared = (f: string) => SHARED_PROCESS.some((p) => f.startsWith(p));
  return { shared: all.filter(inShared), isolated: all.filter((f) => !inShared(f)) };
}

/** Interleaves two event streams as they come, the way one runner reports concurrent files. */
async function* merge(...streams: AsyncIterable<TestEvent>[]): AsyncGenerator<TestEvent> {
  const iterators = streams.map((s) => s[Symbol.asyncIterator]());
  const next = (i: number) => iterators[i]!.next().then((r) => ({ i, r }));
  const pending = new Map(iterators.map((_, i) => [i, next(i)]));
  while (pending.size > 0) {
    const { i, r } = await Promise.race(pending.values());
    if (r.done) pending.delete(i);
    else {
      pending.set(i, next(i));
      yield r.value;
    }
  }
}

const named = process.argv.slice(2);
const { shared, isolated } = named.length ? { shared: [], isolated: named } : await testFiles();
const runs: AsyncIterable<TestEvent>[] = [run({ files: isolated, concurrency: 3 })];
if (shared.length) runs.push(run({ files: shared, isolation: 'none' }));

const total: Counts = { tests: 0, passed: 0, failed: 0, cancelled: 0, skipped: 0, todo: 0 };
let failed = false;
async function* counted(events: AsyncIterable<TestEvent>): AsyncGenerator<TestEvent> {
  for await (const event of events) {
    if (event.type === 'test:fail') failed = true;
    // One summary per run without a file: the run's totals.
    if (event.type === 'test:summary' && !event.data.file && event.data.counts) {
      for (const k of Object.keys(total) as (keyof Counts)[]) total[k] += event.data.counts[k];
    }
    yield event;
  }
}

const t0 = Date.now();
async function* tag(s: AsyncIterable<TestEvent>, k: number): AsyncGenerator<TestEvent> {
  let last = 0;
  for await (const e of s) {
    if (e.type === 'test:pass' || e.type === 'test:fail') last = Date.now() - t0;
    yield e;
  }
  console.error(`run ${k} ended at ${Date.now() - t0} ms, last test at ${last}`);
}
const report = Readable.from(counted(merge(...runs.map((r, k) => tag(r, k))))).compose(new spec());
for await (const chunk of report) process.stdout.write(chunk);
const line = `all test files: ${total.tests} tests, ${total.passed} passed, ${total.failed} failed, ${total.cancelled} cancelled, ${total.skipped} skipped, ${total.todo} todo`;
console.log(line);
if (failed || total.failed > 0 || total.cancelled > 0) process.exitCode = 1;
