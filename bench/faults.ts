// The fault-injection suite: requests from Discord, Telegram and the HTTP API against two ComfyRelay
// processes on one redis-server and three fake ComfyUI backends, with faults drawn at random meanwhile
// (ComfyUI killed, sockets dropped, stalls, 5xx, slow /view, lost /prompt answers, relays SIGKILLed —
// one for good — redis-server restarted, platform 429s and 5xx). Ends with one line:
//   faults N, jobs M, delivered once A, failed with a message B, lost C, delivered twice D
// Run: ./node_modules/.bin/node bench/faults.ts --seed 1 --jobs 500 --faults 200 [--span-ms 150000] [--quiet]
import { parseArgs } from 'node:util';
import { runFaultSuite } from './faults/run.ts';
import { machine } from './stats.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    jobs: { type: 'string', default: '500' },
    faults: { type: 'string', default: '200' },
    'span-ms': { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
});
const started = Date.now();
const result = await runFaultSuite({
  seed: Number(values.seed),
  jobs: Number(values.jobs),
  faults: Number(values.faults),
  spanMs: values['span-ms'] ? Number(values['span-ms']) : undefined,
  log: values.quiet ? undefined : (line) => process.stderr.write(`${line}\n`),
});
process.stderr.write(
  `seed ${values.seed} · ${((Date.now() - started) / 1000).toFixed(0)} s · ${machine()}\n` +
    `faults by kind: ${Object.entries(result.byKind)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}\n` +
    `failed with a message: ${Object.entries(result.reasons)
      .map(([why, n]) => `${n} × ${why}`)
      .join(', ')}\n`,
);
console.log(
  `faults ${result.faults}, jobs ${result.jobs}, delivered once ${result.deliveredOnce}, failed with a message ${result.failedWithMessage}, lost ${result.lost}, delivered twice ${result.deliveredTwice}`,
);
process.exit(result.lost === 0 && result.deliveredTwice === 0 ? 0 : 1);
