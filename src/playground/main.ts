// `npm run playground`: ComfyRelay's Discord and Telegram front ends against the project's fake Discord
// and fake Telegram, on the configured ComfyUI (or `--fake-comfy`), driven by typed lines such as
// `alice: /imagine a cat --ar 16:9`. No bot token is needed; what members would see is printed.
// Like src/main.ts it sits outside the layers: it wires the fakes (from test/fakes) to the real adapters.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { HELP, Operator } from './operator.ts';
import { Transcript } from './transcript.ts';
import { startWorld } from './world.ts';

const USAGE = `npm run playground -- [--fake-comfy] [--config file.yaml] [--step-ms 150] [--log warn] [< script.txt]

  --fake-comfy   start the fake ComfyUI too (no GPU needed); otherwise the configured backends are used
                 (comfyrelay.config.yaml, COMFYRELAY_CONFIG, default http://127.0.0.1:8188)
  --config       the configuration file to read the backends, workflows and quotas from
  --step-ms      the fake ComfyUI's time per sampling step (default 150), to watch a queue form
  --log          the relay's own log level on stderr (default silent)
Lines come from the keyboard, or from a script on standard input (then it waits for the jobs and ends).
`;

const { values } = parseArgs({
  options: {
    'fake-comfy': { type: 'boolean' },
    config: { type: 'string' },
    'step-ms': { type: 'string' },
    log: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const world = await startWorld({
  fakeComfy: values['fake-comfy'],
  ...(values.config ? { configFile: values.config } : {}),
  ...(values['step-ms'] ? { stepMs: Number(values['step-ms']) } : {}),
  ...(values.log ? { logLevel: values.log } : {}),
});
for (const name of ['alice', 'bob', 'carol']) world.person(name);
const transcript = new Transcript(world, (line) => process.stdout.write(`${line}\n`));
const operator = new Operator(world, transcript);
const backends = world.config.backends.map((b) => `${b.name} (${b.url})`).join(', ');
process.stdout.write(
  `ComfyRelay playground — Discord #${world.discord.channelName} and the Telegram group “${world.telegram.groupTitle}”, on ${backends}.\nPeople: alice, bob, carol (any other name joins when first used). Type "help".\n`,
);
if (world.ports.backends.reachable() === 0)
  process.stdout.write(
    `No ComfyUI answers at ${backends}: jobs will wait for one. Start ComfyUI, or run with --fake-comfy.\n`,
  );
transcript.start();

const interactive = process.stdin.isTTY;
const lines = createInterface({
  input: process.stdin,
  ...(interactive ? { output: process.stdout, prompt: '> ' } : {}),
});
if (interactive) lines.prompt();
let quit = false;
for await (const line of lines) {
  if (line.trim() === 'help') {
    process.stdout.write(`${HELP}\n`);
  } else if (!(await operator.run(line))) {
    quit = true;
    break;
  }
  if (interactive) lines.prompt();
}
lines.close();
if (!quit || !interactive) await operator.run('wait idle');
transcript.stop();
await world.close();
process.exit(0);
