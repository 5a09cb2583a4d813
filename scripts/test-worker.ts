// One test process of `scripts/run-tests.ts`: runs the files it is given in this process, one after
// another, and sends each test event to the parent, which reports them.
import { run } from 'node:test';

const send = (message: unknown) => new Promise<void>((done) => process.send?.(message, () => done()));
const files = process.argv.slice(2);
let last = Promise.resolve();
// A test that hangs fails with its name after two minutes (the slowest passes in well under 30 s)
// instead of holding the run until CI gives up on it.
const TEST_TIMEOUT_MS = 120_000;
// With every file in one process, the run ends once the event loop is empty: a handle a test leaves
// open holds the process until the runner's watchdog (run-tests.ts) names what had not finished.
for await (const event of run({ files, isolation: 'none', timeout: TEST_TIMEOUT_MS })) last = send(event);
await last;
const cpu = process.cpuUsage();
await send({ type: 'worker:cpu', data: { cpuMs: (cpu.user + cpu.system) / 1000 } });
process.exit(0);
