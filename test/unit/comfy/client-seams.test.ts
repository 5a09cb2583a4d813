// The ComfyClient with every transport seam injected: an undici MockAgent for HTTP, hand-driven sockets and
// a manual clock, so time-based behaviour (silences, backoff, fallbacks) is checked without waiting.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { MockAgent } from 'undici';
import { ComfyClient, type ComfyJobEvent, type PromptOutcome } from '../../../src/comfy/index.ts';
import { ManualClock } from '../../helpers/clocks.ts';
import { drain, fakeWebSockets, until } from './doubles.ts';

const ORIGIN = 'http://comfy.test:8188';
const PROMPT_ID = '6f1c2a4e-93b1-4c55-8a0e-2d7b9f4e1a10';
const WORKFLOW = {
  '3': { class_type: 'KSampler', inputs: { steps: 4 } },
  '9': { class_type: 'SaveImage', inputs: { images: ['3', 0] } },
};
const SUCCESS_ENTRY = {
  [PROMPT_ID]: {
    outputs: { '9': { images: [{ filename: 'ComfyUI_00001_.png', subfolder: '', type: 'output' }] } },
    status: { status_str: 'success', completed: true, messages: [] },
  },
};

const open: { client: ComfyClient; agent: MockAgent }[] = [];
afterEach(async () => {
  for (const { client, agent } of open.splice(0)) {
    await client.close();
    await agent.close();
  }
});

function setup(options: Partial<ConstructorParameters<typeof ComfyClient>[0]> = {}) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const backend = agent.get(ORIGIN);
  const clock = new ManualClock();
  const ws = fakeWebSockets();
  const client = new ComfyClient({
    baseUrl: ORIGIN,
    dispatcher: agent,
    clock,
    webSocketFactory: ws.factory,
    ...options,
  });
  open.push({ client, agent });
  return { client, backend, clock, sockets: ws.sockets };
}

/** Records a prompt's events and, once it settles, its outcome and the clock's time then. */
function watch(clock: ManualClock) {
  const events: ComfyJobEvent[] = [];
  const settled: { outcome?: PromptOutcome; at?: number } = {};
  const follow = (done: Promise<PromptOutcome>) =>
    done.then((outcome) => Object.assign(settled, { outcome, at: clock.now() }));
  return { events, settled, follow, onEvent: (e: ComfyJobEvent) => events.push(e) };
}

describe('ComfyClient seams', () => {
  it('GIVEN a client id WHEN a prompt is submitted THEN the socket and POST /prompt carry it, and socket events reach the prompt', async () => {
    const { client, backend, clock, sockets } = setup({ clientId: 'relay-7' });
    let posted: { client_id?: string; prompt_id?: string } = {};
    backend.intercept({ path: '/prompt', method: 'POST' }).reply(200, (opts) => {
      posted = JSON.parse(String(opts.body));
      return { prompt_id: PROMPT_ID, number: 7, node_errors: {} };
    });
    backend.intercept({ path: '/queue', method: 'GET' }).reply(200, { queue_running: [], queue_pending: [] });
    backend.intercept({ path: `/history/${PROMPT_ID}`, method: 'GET' }).reply(200, SUCCESS_ENTRY);
    const seen = watch(clock);

    const handle = await client.submit(WORKFLOW, { promptId: PROMPT_ID, onEvent: seen.onEvent });
    seen.follow(handle.done);
    const socket = sockets[0]!;
    socket.receive('execution_start', { prompt_id: PROMPT_ID });
    socket.receive('progress', { value: 1, max: 4, prompt_id: PROMPT_ID, node: '3' });
    socket.receive('progress', { value: 1, max: 4, prompt_id: 'someone-else', node: '3' });
    socket.receive('executing', { node: null, prompt_id: PROMPT_ID });
    const outcome = await handle.done;

    assert.equal(new URL(socket.url).searchParams.get('clientId'), 'relay-7');
    assert.equal(posted.client_id, 'relay-7');
    assert.equal(posted.prompt_id, PROMPT_ID);
    assert.equal(handle.number, 7);
    assert.deepEqual(JSON.parse(socket.sent[0]!), {
      type: 'feature_flags',
      data: { supports_preview_metadata: true },
    });
    assert.deepEqual(
      seen.events.filter((e) => e.type === 'progress'),
      [{ type: 'progress', node: '3', value: 1, max: 4 }],
    );
    assert.ok(outcome.type === 'succeeded');
    assert.equal(outcome.outputs[0]?.file?.filename, 'ComfyUI_00001_.png');
  });

  it('GIVEN a backend that stays unreachable THEN an attached prompt is reported lost when the clock reaches unreachableLostMs', async () => {
    const { client, backend, clock } = setup({ idleEventMs: 15_000, unreachableLostMs: 60_000 });
    let reads = 0;
    backend
      .intercept({ path: '/queue', method: 'GET' })
      .reply(() => {
        reads++;
        return { statusCode: 502, data: 'Bad Gateway' };
      })
      .persist();
    const seen = watch(clock);
    const start = clock.now();

    seen.follow(client.attach(PROMPT_ID, WORKFLOW).done);
    await until(() => reads === 1, 'the read on attach');
    for (const expected of [2, 3, 4]) {
      clock.advance(15_000);
      await until(() => reads === expected, `the read after ${expected - 1} silences`);
    }
    await drain();
    const after45s = seen.settled.outcome;
    assert.equal(after45s, undefined, 'not lost after 45 s unreachable');
    clock.advance(15_000);
    await until(() => seen.settled.outcome !== undefined, 'the outcome');

    assert.equal(seen.settled.outcome?.type, 'lost');
    assert.match(JSON.stringify(seen.settled.outcome), /backend unreachable/);
    assert.equal(seen.settled.at! - start, 60_000);
  });

  it('GIVEN the socket closes THEN it reconnects after the backoff delay on the clock, and reconciles', async () => {
    const { client, backend, clock, sockets } = setup({ reconnect: { initialMs: 1000, maxMs: 1000 } });
    let queueReads = 0;
    backend
      .intercept({ path: '/queue', method: 'GET' })
      .reply(() => {
        queueReads++;
        return { statusCode: 200, data: { queue_running: [[1, PROMPT_ID]], queue_pending: [] } };
      })
      .persist();
    client.attach(PROMPT_ID, WORKFLOW);
    assert.equal(await client.connect(), true);
    await until(() => queueReads === 1, 'the read on attach');

    sockets[0]!.terminate();
    await new Promise((r) => setImmediate(r)); // the close event, a microtask away
    clock.advance(499);
    assert.equal(sockets.length, 1, 'no new socket before half the backoff ceiling');
    clock.advance(501);
    assert.equal(sockets.length, 2, 'a new socket by the ceiling');
    await until(() => client.reconnects === 1, 'the reopen');
    await until(() => queueReads === 2, 'the reconcile after the reconnect');
  });

  it('GIVEN the run ends without its final `executing` THEN history settles it after the fallback delay on the clock', async () => {
    const { client, backend, clock, sockets } = setup();
    backend
      .intercept({ path: '/queue', method: 'GET' })
      .reply(200, { queue_running: [[1, PROMPT_ID]], queue_pending: [] });
    let historyReads = 0;
    backend.intercept({ path: `/history/${PROMPT_ID}`, method: 'GET' }).reply(() => {
      historyReads++;
      return { statusCode: 200, data: SUCCESS_ENTRY };
    });
    const seen = watch(clock);
    seen.follow(client.attach(PROMPT_ID, WORKFLOW, seen.onEvent).done);
    await until(() => seen.events.some((e) => e.type === 'started'), 'the read on attach');
    const start = clock.now();

    sockets[0]!.receive('execution_success', { prompt_id: PROMPT_ID });
    clock.advance(1499);
    await drain();
    assert.equal(historyReads, 0, 'history is not read before the fallback delay');
    clock.advance(1);
    await until(() => seen.settled.outcome !== undefined, 'the outcome');

    assert.equal(seen.settled.outcome?.type, 'succeeded');
    assert.equal(seen.settled.at! - start, 1500);
  });
});
