// One test process of `scripts/run-tests.ts`: runs the files it is given in this process, one after
// another, and sends each test event to the parent, which reports them.
import { run } from 'node:test';

const send = (message: unknown) => new Promise<void>((done) => process.send?.(message, () => done()));
const files = process.argv.slice(2);
// A test that hangs fails with its name after two minutes (the slowest passes in well under 30 s)
// instead of holding the run until CI gives up on it.
const TEST_TIMEOUT_MS = 120_000;
/** How long the process may stay alive once every test of every file has ended. */
const GRACE_MS = 3000;

/**
 * With every file in one process, node:test ends the run only once the event loop is empty, so a handle
 * one test leaves open (a socket, a client reconnecting, a timer) would hold the process until the
 * runner's watchdog. So: once every file has registered its tests and every top-level test has ended,
 * and nothing more happens for `GRACE_MS`, the process says what was left open and ends.
 */
const seenFiles = new Set<string>();
let started = 0;
let ended = 0;
let grace: NodeJS.Timeout | undefined;
const finish = async () => {
  const open = process.getActiveResourcesInfo().filter((r) => r !== 'PipeWrap' && r !== 'TTYWrap');
  console.error(
    `test process ${files.length > 1 ? `for ${files[0]} and ${files.length - 1} more` : `for ${files[0]}`}: every test ended, but the process did not (open: ${open.join(', ') || 'nothing named'}); a test leaks a handle`,
  );
  await report();
};
const report = async () => {
  const cpu = process.cpuUsage();
  await send({ type: 'worker:cpu', data: { cpuMs: (cpu.user + cpu.system) / 1000 } });
  process.exit(0);
};

let last = Promise.resolve();
for await (const event of run({ files, isolation: 'none', timeout: TEST_TIMEOUT_MS })) {
  last = send(event);
  const { nesting, file } = event.data as { nesting?: number; file?: string };
  if (file) seenFiles.add(file);
  if (nesting === 0 && event.type === 'test:enqueue') started++;
  if (nesting === 0 && (event.type === 'test:pass' || event.type === 'test:fail')) ended++;
  clearTimeout(grace);
  if (seenFiles.size >= files.length && ended === started) {
    grace = setTimeout(() => void last.then(finish), GRACE_MS);
    grace.unref(); // a normal end is not held back by it
  }
}
clearTimeout(grace);
await last;
await report();
