// One test process of `scripts/run-tests.ts`: runs the files it is given in this process, one after
// another, and sends each test event to the parent, which reports them.
import { run } from 'node:test';

const send = (message: unknown) => new Promise<void>((done) => process.send?.(message, () => done()));
const files = process.argv.slice(2);
let last = Promise.resolve();
for await (const event of run({ files, isolation: 'none' })) last = send(event);
await last;
// Every file has run: a handle a test left open must not keep the process, and so the run, alive.
process.exit(0);
