// The fake ComfyUI's fault hooks and options, checked against comfyui-protocol.md and the recorded traces.
// Only plain HTTP (fetch) and the `ws` package talk to it: never the project's ComfyClient, so the fake is
// held to the protocol rather than to our own client's reading of it.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { TRACES_DIR } from '../../helpers/fixtures.ts';
import { type FakeComfy, type FakeComfyOptions, startFakeComfy } from './index.ts';
import { kSampler } from '../../helpers/sd-nodes.ts';

/** Protocol JSON: its shape is what the assertions check, so it is left untyped here. */
// biome-ignore lint/suspicious/noExplicitAny: shapes are asserted at run time, field by field
type Json = any;
type Frame = { text: true; type: string; data: Json } | { text: false; eventType: number; bytes: Buffer };
type Reply = { status: number; contentType: string; text: string; json: Json };

const fakes: FakeComfy[] = [];
const sockets: Sock[] = [];
after(async () => {
  for (const s of sockets) s.ws.terminate();
  await Promise.all(fakes.map((f) => f.close()));
});

async function start(options: FakeComfyOptions = {}): Promise<FakeComfy> {
  const fake = await startFakeComfy(options);
  fakes.push(fake);
  return fake;
}

/** Polls `probe` every 5 ms until it returns something truthy. */
async function until<T>(
  probe: () => T | Promise<T>,
  what: string,
  timeoutMs = 5000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

class Sock {
  readonly ws: WebSocket;
  readonly frames: Frame[] = [];
  /** Resolves with the close code (1006: terminated without a close frame). */
  readonly closed: Promise<number>;

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.on('error', () => {});
    this.ws.on('message', (raw, isBinary) => {
      const bytes = Buffer.isBuffer(raw) ? raw : Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw);
      if (isBinary) this.frames.push({ text: false, eventType: bytes.readUInt32BE(0), bytes });
      else {
        const msg = JSON.parse(bytes.toString('utf8')) as { type: string; data: Json };
        this.frames.push({ text: true, type: msg.type, data: msg.data });
      }
    });
    this.closed = new Promise((resolve) => this.ws.once('close', (code) => resolve(code)));
  }

  texts(type?: string, from = 0): { type: string; data: Json }[] {
    return this.frames
      .slice(from)
      .flatMap((f) => (f.text && (type === undefined || f.type === type) ? [f] : []));
  }

  binaries(from = 0): { eventType: number; bytes: Buffer }[] {
    return this.frames.slice(from).flatMap((f) => (f.text ? [] : [f]));
  }

  next(type: string, match: (data: Json) => boolean = () => true, from = 0): Promise<Json> {
    return until(() => this.texts(type, from).find((m) => match(m.data))?.data, `ws ${type}`);
  }

  /** `executing {node: null, prompt_id}`: the job is finished and its history written (§4, §8.5). */
  done(promptId: string): Promise<Json> {
    return this.next('executing', (d) => d.node === null && d.prompt_id === promptId);
  }
}

/** Opens /ws (optionally negotiating preview metadata first, as the traces do) and waits for `status`. */
async function connect(fake: FakeComfy, clientId?: string, negotiate = false): Promise<Sock> {
  const sock = new Sock(clientId ? `${fake.wsUrl}?clientId=${encodeURIComponent(clientId)}` : fake.wsUrl);
  sockets.push(sock);
  await once(sock.ws, 'open');
  if (negotiate) {
    sock.ws.send(JSON.stringify({ type: 'feature_flags', data: { supports_preview_metadata: true } }));
  }
  await sock.next('status');
  if (negotiate) await sock.next('feature_flags');
  return sock;
}

async function call(fake: FakeComfy, method: string, path: string, body?: unknown): Promise<Reply> {
  const res = await fetch(fake.url + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: Json = {};
  try {
    json = JSON.parse(text) as Json;
  } catch {}
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, json };
}

const get = (fake: FakeComfy, path: string) => call(fake, 'GET', path);

/** POST /prompt that must be accepted; returns the prompt_id. */
async function queue(fake: FakeComfy, prompt: unknown, clientId?: string): Promise<string> {
  const res = await call(fake, 'POST', '/prompt', { prompt, ...(clientId ? { client_id: clientId } : {}) });
  assert.equal(res.status, 200, res.text);
  return String(res.json.prompt_id);
}

async function history(fake: FakeComfy, id: string): Promise<Json | undefined> {
  return (await get(fake, `/history/${id}`)).json[id];
}

const waitHistory = (fake: FakeComfy, id: string) => until(() => history(fake, id), `history of ${id}`);

async function runningId(fake: FakeComfy): Promise<string | undefined> {
  const running = (await get(fake, '/queue')).json.queue_running as [number, string][];
  return running[0]?.[1];
}

/** The first recorded `data` of a ws message type in a trace file. */
function recorded(file: string, type: string): Record<string, unknown> {
  const trace = JSON.parse(readFileSync(join(TRACES_DIR, file), 'utf8')) as {
    events: { kind: string; data?: { type?: string; data?: Record<string, unknown> } }[];
  };
  const hit = trace.events.find((e) => e.kind === 'ws_recv' && e.data?.type === type);
  assert.ok(hit?.data?.data, `${file} records ${type}`);
  return hit.data.data;
}

let seed = 1000;
/** The recorded SD graph (sd_success.json); a fresh seed each time, so the sampler never comes from cache. */
function sd(steps = 4, ckpt = 'tiny-random.safetensors') {
  return {
    '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: ckpt } },
    '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a cat', clip: ['4', 1] } },
    '7': { class_type: 'CLIPTextEncode', inputs: { text: 'blurry', clip: ['4', 1] } },
    '5': { class_type: 'EmptyLatentImage', inputs: { width: 64, height: 64, batch_size: 1 } },
    '3': kSampler(seed++, steps),
    '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
    '9': { class_type: 'SaveImage', inputs: { filename_prefix: 'ComfyUI', images: ['8', 0] } },
  };
}

/** Model-free graph of simple_success.json: EmptyImage → ImageInvert → SaveImage. */
function simple(prefix: string) {
  return {
    '1': { class_type: 'EmptyImage', inputs: { width: 64, height: 64, batch_size: 1, color: seed++ } },
    '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
    '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: prefix } },
  };
}

const sortedKeys = (o: object) => Object.keys(o).sort();

test('restart(): same port; queue, history and the running job are lost; sockets close; reconnect gets status+sid', async () => {
  const fake = await start();
  const { port, url } = fake;
  const sock = await connect(fake, 'restart-client');
  const before = await queue(fake, simple('before_restart'), 'restart-client');
  await sock.done(before);
  const saved = (await history(fake, before))?.outputs?.['3']?.images?.[0]?.filename;
  assert.ok(saved);

  fake.stall(true);
  const running = await queue(fake, sd(), 'restart-client');
  await queue(fake, sd(), 'restart-client');
  await until(async () => (await runningId(fake)) === running, 'a running job');
  assert.equal((await get(fake, '/prompt')).json.exec_info?.queue_remaining, 2);

  await fake.restart();
  assert.equal(await sock.closed, 1006);
  assert.equal(fake.port, port);
  assert.equal(fake.url, url);
  assert.deepEqual((await get(fake, '/queue')).json, { queue_running: [], queue_pending: [] });
  assert.deepEqual((await get(fake, '/prompt')).json, { exec_info: { queue_remaining: 0 } });
  assert.deepEqual((await get(fake, '/history')).json, {});

  // §8.1: the first frame is status with sid; nothing runs, so no bare executing follows.
  const again = await connect(fake, 'restart-client');
  assert.deepEqual(again.frames[0], {
    text: true,
    type: 'status',
    data: { status: { exec_info: { queue_remaining: 0 } }, sid: 'restart-client' },
  });
  const anonymous = await connect(fake);
  assert.match(String(anonymous.texts('status')[0]?.data.sid), /^[0-9a-f]{32}$/);

  // A fresh process: numbering starts over, the stall is gone, and the lost jobs never reach history.
  const res = await call(fake, 'POST', '/prompt', {
    prompt: simple('after_restart'),
    client_id: 'restart-client',
  });
  assert.equal(res.json.number, 0);
  const afterId = String(res.json.prompt_id);
  await again.done(afterId);
  assert.deepEqual(Object.keys((await get(fake, '/history')).json), [afterId]);
  assert.ok(again.texts('executing').every((m) => m.data.prompt_id === afterId));
  // Output files are on disk and survive the restart.
  assert.equal((await get(fake, `/view?filename=${saved}&type=output`)).status, 200);
});

test('dropSockets(): sockets terminate, the job keeps running, a same-id reconnect gets a bare executing', async () => {
  const fake = await start();
  const first = await connect(fake, 'drop-client');
  fake.stall(true);
  const id = await queue(fake, sd(), 'drop-client');
  const executing = await first.next('executing', (d) => d.prompt_id === id);

  fake.dropSockets();
  assert.equal(await first.closed, 1006);
  await until(() => fake.connectedClients().length === 0, 'the server to forget the socket');
  assert.equal(await runningId(fake), id);

  // §8.1 / Appendix 3: status with sid, then {"node": <running node>} with no prompt_id and no display_node.
  const second = await connect(fake, 'drop-client');
  await until(() => second.frames.length >= 2, 'the executing replay');
  assert.deepEqual(second.frames[0], {
    text: true,
    type: 'status',
    data: { status: { exec_info: { queue_remaining: 1 } }, sid: 'drop-client' },
  });
  assert.deepEqual(second.frames[1], { text: true, type: 'executing', data: { node: executing.node } });

  fake.stall(false);
  await second.done(id);
  assert.equal((await waitHistory(fake, id)).status?.status_str, 'success');
  assert.ok(second.texts('execution_success').length === 1);
});

/** Appendix 3 + §8.7: a second socket with the same id takes over; then the old one closes. */
async function sameIdReconnect(race: boolean) {
  const fake = await start({ sameIdCloseRace: race });
  const watcher = await connect(fake, 'watcher');
  const old = await connect(fake, 'same-id');
  const fresh = await connect(fake, 'same-id');
  const oldMark = old.frames.length;
  const first = await queue(fake, simple(`takeover_${race}`), 'same-id');
  await fresh.done(first);
  assert.equal(old.frames.length, oldMark, 'the replaced socket gets nothing more');
  assert.equal(old.ws.readyState, WebSocket.OPEN, 'the server does not close the replaced socket');

  old.ws.close();
  await old.closed;
  if (race) await until(() => !fake.connectedClients().includes('same-id'), 'the old socket cleanup');
  const mark = fresh.frames.length;
  const watchMark = watcher.frames.length;
  const second = await queue(fake, simple(`after_close_${race}`), 'same-id');
  await waitHistory(fake, second);
  await watcher.next('status', (d) => d.status?.exec_info?.queue_remaining === 0, watchMark);
  return { fake, fresh, mark, second };
}

test('default: closing the replaced socket leaves the new same-id socket registered', async () => {
  const { fake, fresh, mark, second } = await sameIdReconnect(false);
  await fresh.done(second);
  assert.ok(fresh.texts('execution_success', mark).length === 1);
  assert.ok(fake.connectedClients().includes('same-id'));
});

test('sameIdCloseRace: after the old socket closes, the new one stays open and silently receives nothing', async () => {
  const { fresh, mark } = await sameIdReconnect(true);
  // The watcher already saw the final broadcast status, so anything sent to `fresh` would have arrived.
  assert.deepEqual(fresh.frames.slice(mark), []);
  assert.equal(fresh.ws.readyState, WebSocket.OPEN);
});

test('stall(): the running job stops advancing and stays in queue_running, then continues', async () => {
  const fake = await start({ stepDelayMs: 20 });
  const sock = await connect(fake, 'stall-client');
  const id = await queue(fake, sd(10), 'stall-client');
  await sock.next('progress', (d) => d.prompt_id === id);
  fake.stall(true);
  // Barrier: queueing another job broadcasts a status frame, sent after any progress already on the wire.
  const mark = sock.frames.length;
  await queue(fake, sd(1), 'stall-client');
  await sock.next('status', (d) => d.status?.exec_info?.queue_remaining === 2, mark);
  const isThis = (d: Json) => d.prompt_id === id;
  const progressOf = () => sock.texts('progress').filter((m) => isThis(m.data));
  const frozen = progressOf().length;
  await sleep(150); // more than 7 step delays
  assert.equal(progressOf().length, frozen, 'no progress while stalled');
  assert.ok(frozen < 10);
  assert.equal(await runningId(fake), id);
  assert.equal(await history(fake, id), undefined);

  fake.stall(false);
  await sock.done(id);
  assert.deepEqual(
    progressOf().map((m) => m.data.value),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  );
  await sock.next('execution_success', isThis);
});

test('failNode(): execution_error with the recorded field set, no success, history status_str "error"', async () => {
  const fake = await start();
  const sock = await connect(fake, 'fail-client', true);
  fake.failNode('ImageInvert', 'Simulated boom', 'RuntimeError');
  const id = await queue(fake, simple('fails'), 'fail-client');
  await sock.done(id);

  const error = await sock.next('execution_error');
  assert.deepEqual(sortedKeys(error), sortedKeys(recorded('execution_error.json', 'execution_error')));
  assert.equal(error.prompt_id, id);
  assert.equal(error.node_id, '2');
  assert.equal(error.node_type, 'ImageInvert');
  assert.equal(error.exception_type, 'RuntimeError');
  assert.match(String(error.exception_message), /^Simulated boom\n/);
  assert.ok(Array.isArray(error.traceback) && error.traceback.every((l: unknown) => typeof l === 'string'));
  assert.ok(Array.isArray(error.executed) && Array.isArray(error.current_outputs));
  assert.ok(!Array.isArray(error.current_inputs) && typeof error.current_inputs === 'object');
  assert.equal(typeof error.timestamp, 'number');

  // Appendix 8: no execution_success; status and `executing null` still follow, in that order.
  const types = sock.texts().map((m) => m.type);
  assert.ok(!types.includes('execution_success'));
  assert.deepEqual(types.slice(types.indexOf('execution_error') + 1), ['status', 'executing']);

  const entry = await waitHistory(fake, id);
  assert.equal(entry.status?.status_str, 'error');
  assert.equal(entry.status?.completed, false);
  const messages = entry.status?.messages as [string, unknown][];
  assert.deepEqual(
    messages.map(([name]) => name),
    ['execution_start', 'execution_cached', 'execution_error'],
  );

  fake.clearFaults();
  const ok = await queue(fake, simple('fails'), 'fail-client');
  await sock.done(ok);
  assert.equal((await waitHistory(fake, ok)).status?.status_str, 'success');
});

test('failHttp(): `times` plain-text errors, then normal answers; /api aliases and regexes match', async () => {
  const fake = await start();
  fake.failHttp('/system_stats', 503, 2);
  for (const path of ['/system_stats', '/api/system_stats']) {
    const res = await get(fake, path);
    assert.equal(res.status, 503);
    assert.match(res.contentType, /^text\/plain/);
    assert.equal(res.text, '503: Service Unavailable'); // aiohttp's "<status>: <reason>" page
  }
  const ok = await get(fake, '/system_stats');
  assert.equal(ok.status, 200);
  assert.match(ok.contentType, /^application\/json/);
  assert.equal(ok.json.system?.comfyui_version, '0.3.64');

  // Default status: aiohttp's plain-text 500 page (§1 "Unhandled errors").
  fake.failHttp(/^\/prompt$/, undefined, 1);
  const failed = await call(fake, 'POST', '/prompt', { prompt: simple('http_fault') });
  assert.equal(failed.status, 500);
  assert.equal(failed.text, '500 Internal Server Error\n\nServer got itself in trouble');
  assert.deepEqual((await get(fake, '/queue')).json, { queue_running: [], queue_pending: [] });
  await waitHistory(fake, await queue(fake, simple('http_fault')));

  // Without `times` the fault stays until clearFaults().
  fake.failHttp('/features', 502);
  assert.equal((await get(fake, '/features')).status, 502);
  assert.equal((await get(fake, '/features')).status, 502);
  fake.clearFaults();
  assert.equal((await get(fake, '/features')).status, 200);
});

test('slowView(): a /view download takes about size/rate', async () => {
  const fake = await start();
  const bytes = randomBytes(16_000);
  fake.addInputFile('slow.bin', bytes);
  fake.slowView(32_000); // ~500 ms
  const t0 = performance.now();
  const res = await fetch(`${fake.url}/view?filename=slow.bin&type=input`);
  const body = Buffer.from(await res.arrayBuffer());
  const elapsed = performance.now() - t0;
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-disposition'), 'filename="slow.bin"');
  assert.ok(body.equals(bytes));
  assert.ok(elapsed >= 350, `took ${elapsed.toFixed(0)} ms`);

  fake.slowView(undefined);
  const full = await fetch(`${fake.url}/view?filename=slow.bin&type=input`);
  assert.ok(Buffer.from(await full.arrayBuffer()).equals(bytes));
});

test('jobMs: a job lasts about jobMs whatever its step count', async () => {
  // With a one-minute step delay, finishing at all shows that jobMs, not the steps, sets the duration.
  const fake = await start({ jobMs: 300, stepDelayMs: 60_000 });
  const sock = await connect(fake, 'jobms-client');
  for (const steps of [2, 40]) {
    const id = await queue(fake, sd(steps), 'jobms-client');
    await sock.done(id);
    const isThis = (d: Json) => d.prompt_id === id;
    const started: number = (await sock.next('execution_start', isThis)).timestamp;
    const ended: number = (await sock.next('execution_success', isThis)).timestamp;
    assert.ok(ended - started >= 240, `${steps} steps took ${ended - started} ms`);
    assert.equal(sock.texts('progress').filter((m) => isThis(m.data)).length, steps);
  }
});

test("version 'newest': prompt_id must be a UUID; unknown class_type is missing_node_type", async () => {
  const fake = await start({ version: 'newest' });
  for (const bad of ['my-job-1', '0F8FAD5B-D9CB-469F-A165-70867728950E', 42]) {
    const res = await call(fake, 'POST', '/prompt', { prompt: simple('newest'), prompt_id: bad });
    assert.equal(res.status, 400);
    assert.equal(res.json.error?.type, 'invalid_prompt_id');
    assert.deepEqual(res.json.node_errors, {});
  }
  const uuid = randomUUID();
  const ok = await call(fake, 'POST', '/prompt', { prompt: simple('newest'), prompt_id: uuid });
  assert.equal(ok.status, 200);
  assert.equal(ok.json.prompt_id, uuid);
  const generated = await call(fake, 'POST', '/prompt', { prompt: simple('newest') });
  assert.match(
    String(generated.json.prompt_id),
    /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  );

  const missing = await call(fake, 'POST', '/prompt', {
    prompt: {
      ...simple('newest'),
      '9': { class_type: 'NoSuchNode', inputs: {}, _meta: { title: 'Mystery' } },
    },
  });
  assert.equal(missing.status, 400);
  assert.equal(missing.json.error?.type, 'missing_node_type');
  assert.deepEqual(missing.json.error?.extra_info, {
    node_id: '9',
    class_type: 'NoSuchNode',
    node_title: 'Mystery',
  });
  assert.deepEqual(missing.json.node_errors, {});

  // 0.3.64 (the default) takes any prompt_id and reports invalid_prompt instead.
  const old = await start();
  const custom = await call(old, 'POST', '/prompt', { prompt: simple('old'), prompt_id: 'my-job-1' });
  assert.equal(custom.status, 200);
  assert.equal(custom.json.prompt_id, 'my-job-1');
  await waitHistory(old, 'my-job-1');
  const oldMissing = await call(old, 'POST', '/prompt', {
    prompt: { ...simple('old'), '9': { class_type: 'NoSuchNode', inputs: {} } },
  });
  assert.equal(oldMissing.status, 400);
  assert.equal(oldMissing.json.error?.type, 'invalid_prompt');
  assert.equal(oldMissing.json.error?.details, "Node ID '#9'");
});

test('models: patched combo lists in /object_info and in validation', async () => {
  const fake = await start({
    models: { checkpoints: ['zeta.safetensors', 'alpha.safetensors'], loras: ['detail.safetensors'] },
  });
  const ckpts = ['alpha.safetensors', 'zeta.safetensors'];
  const one = await get(fake, '/object_info/CheckpointLoaderSimple');
  assert.deepEqual(one.json.CheckpointLoaderSimple?.input?.required?.ckpt_name?.[0], ckpts);
  const all = await get(fake, '/object_info');
  assert.deepEqual(all.json.LoraLoader?.input?.required?.lora_name?.[0], ['detail.safetensors']);
  assert.deepEqual((await get(fake, '/models/checkpoints')).json, ckpts);

  const rejected = await call(fake, 'POST', '/prompt', { prompt: sd(4, 'tiny-random.safetensors') });
  assert.equal(rejected.status, 400);
  assert.equal(rejected.json.error?.type, 'prompt_outputs_failed_validation');
  const err = rejected.json.node_errors?.['4']?.errors?.[0];
  assert.equal(err?.type, 'value_not_in_list');
  assert.equal(
    err?.details,
    "ckpt_name: 'tiny-random.safetensors' not in ['alpha.safetensors', 'zeta.safetensors']",
  );
  assert.deepEqual(err?.extra_info?.input_config?.[0], ckpts);

  const accepted = await call(fake, 'POST', '/prompt', { prompt: sd(4, 'zeta.safetensors') });
  assert.equal(accepted.status, 200, accepted.text);
});

/** Positions of the `progress` frames of one job in a socket's frame list. */
function progressIndexes(sock: Sock, id: string, from = 0): number[] {
  return sock.frames.flatMap((f, i) =>
    i >= from && f.text && f.type === 'progress' && f.data.prompt_id === id ? [i] : [],
  );
}

test('previews: false sends no binary frames', async () => {
  const fake = await start({ previews: false });
  const legacy = await connect(fake, 'legacy');
  const negotiated = await connect(fake, 'negotiated', true);
  for (const sock of [legacy, negotiated]) {
    const id = await queue(fake, sd(3), sock === legacy ? 'legacy' : 'negotiated');
    await sock.done(id);
    assert.equal(progressIndexes(sock, id).length, 3);
  }
  assert.deepEqual(legacy.binaries(), []);
  assert.deepEqual(negotiated.binaries(), []);
});

test('previews: type 1 after progress for a legacy client, type 4 before progress once negotiated', async () => {
  const fake = await start();
  const legacy = await connect(fake, 'legacy');
  const negotiated = await connect(fake, 'negotiated', true);

  const legacyId = await queue(fake, sd(3), 'legacy');
  await legacy.done(legacyId);
  const legacySteps = progressIndexes(legacy, legacyId);
  assert.equal(legacySteps.length, 3);
  for (const i of legacySteps) {
    const f = legacy.frames[i + 1];
    assert.ok(f && !f.text, 'a binary frame right after progress');
    assert.equal(f.bytes.readUInt32BE(0), 1);
    assert.equal(f.bytes.readUInt32BE(4), 1, 'image_format 1 = JPEG');
    assert.equal(f.bytes.subarray(8, 10).toString('hex'), 'ffd8');
  }
  assert.equal(legacy.binaries().length, 3);
  // Appendix 2: another client's job gives the negotiated socket no progress and no previews.
  assert.deepEqual(negotiated.binaries(), []);
  assert.equal(negotiated.texts('progress').length, 0);

  const mark = negotiated.frames.length;
  const id = await queue(fake, sd(3), 'negotiated');
  await negotiated.done(id);
  const steps = progressIndexes(negotiated, id, mark);
  assert.equal(steps.length, 3);
  for (const i of steps) {
    const f = negotiated.frames[i - 1];
    assert.ok(f && !f.text, 'a binary frame right before progress');
    assert.equal(f.bytes.readUInt32BE(0), 4);
    const len = f.bytes.readUInt32BE(4);
    const meta = JSON.parse(f.bytes.subarray(8, 8 + len).toString('utf8')) as Record<string, unknown>;
    assert.deepEqual(meta, {
      node_id: '3',
      prompt_id: id,
      display_node_id: '3',
      parent_node_id: null,
      real_node_id: '3',
      image_type: 'image/jpeg',
    });
    assert.equal(f.bytes.subarray(8 + len, 10 + len).toString('hex'), 'ffd8');
  }
  assert.equal(negotiated.binaries(mark).length, 3);
  assert.equal(legacy.binaries().length, 3, 'nothing for the legacy socket');
});

test('no client_id: only status, progress, progress_state and type-1 previews, broadcast to every socket', async () => {
  const fake = await start();
  const negotiated = await connect(fake, 'a', true);
  const legacy = await connect(fake, 'b');
  const marks = [negotiated.frames.length, legacy.frames.length] as const;
  const id = await queue(fake, sd(3));
  await waitHistory(fake, id);

  const seen: string[][] = [];
  for (const [n, sock] of [negotiated, legacy].entries()) {
    const from = marks[n];
    await sock.next('status', (d) => d.status?.exec_info?.queue_remaining === 0, from);
    const types = new Set(sock.texts(undefined, from).map((m) => m.type));
    assert.deepEqual([...types].sort(), ['progress', 'progress_state', 'status']);
    const steps = progressIndexes(sock, id, from);
    assert.equal(steps.length, 3);
    for (const i of steps) {
      const f = sock.frames[i + 1];
      assert.ok(f && !f.text && f.eventType === 1, 'type 1 after progress, even for the negotiated socket');
    }
    assert.ok(sock.binaries(from).every((f) => f.eventType === 1));
    seen.push(sock.texts(undefined, from).map((m) => JSON.stringify(m)));
  }
  assert.deepEqual(seen[0], seen[1], 'both sockets get the same broadcast messages');
  assert.equal((await waitHistory(fake, id)).status?.status_str, 'success');
});

/** two_clients.json, first job: the types each socket received while A's job ran (A's POST to A's end). */
function recordedTwoClientTypes(): { a: string[]; b: string[]; bBinaries: number } {
  const trace = JSON.parse(readFileSync(join(TRACES_DIR, 'two_clients.json'), 'utf8')) as {
    events: { kind: string; ws?: string; text?: boolean; binary?: boolean; data?: { type?: string } }[];
  };
  const start = trace.events.findIndex((e) => e.kind === 'http_request');
  const end = trace.events.findIndex((e) => e.kind === 'note');
  const during = trace.events.slice(start, end).filter((e) => e.kind === 'ws_recv');
  const types = (ws: string) =>
    [...new Set(during.filter((e) => e.ws === ws && e.text).map((e) => e.data?.type ?? ''))].sort();
  return { a: types('A'), b: types('B'), bBinaries: during.filter((e) => e.ws === 'B' && e.binary).length };
}

test("client_id A: only A's socket gets the job's messages; another socket gets the status broadcasts only", async () => {
  const recordedTypes = recordedTwoClientTypes();
  assert.deepEqual(recordedTypes.b, ['status']);
  const fake = await start();
  const a = await connect(fake, 'two-A', true);
  const b = await connect(fake, 'two-B', true);
  const marks = [a.frames.length, b.frames.length] as const;
  const id = await queue(fake, sd(4), 'two-A');
  await a.done(id);
  await b.next('status', (d) => d.status?.exec_info?.queue_remaining === 0, marks[1]);

  const typesOf = (sock: Sock, from: number) =>
    [...new Set(sock.texts(undefined, from).map((m) => m.type))].sort();
  assert.deepEqual(typesOf(a, marks[0]), recordedTypes.a);
  assert.deepEqual(typesOf(b, marks[1]), recordedTypes.b);
  assert.equal(b.binaries(marks[1]).length, recordedTypes.bBinaries);
  assert.equal(progressIndexes(a, id, marks[0]).length, 4);
});

test('/interrupt: another prompt id does nothing; no body interrupts globally; counts are recorded', async () => {
  const fake = await start({ stepDelayMs: 10 });
  const sock = await connect(fake, 'int-client');
  const isId = (id: string) => (d: Json) => d.prompt_id === id;
  const startStalled = async () => {
    fake.stall(true);
    const id = await queue(fake, sd(6), 'int-client');
    await until(async () => (await runningId(fake)) === id, 'the job to run');
    return id;
  };
  const interrupt = async (body?: unknown) => {
    const res = await call(fake, 'POST', '/interrupt', body);
    assert.equal(res.status, 200);
    assert.equal(res.text, '');
    assert.equal(res.contentType, 'application/octet-stream');
  };

  const other = randomUUID();
  const kept = await startStalled();
  await interrupt({ prompt_id: other });
  fake.stall(false);
  await sock.done(kept);
  await sock.next('execution_success', isId(kept));
  assert.equal(sock.texts('execution_interrupted').length, 0);
  assert.deepEqual(fake.interrupts, { global: 0, byPromptId: [other] });

  const globally = await startStalled();
  await interrupt();
  fake.stall(false);
  await sock.done(globally);
  const data = await sock.next('execution_interrupted', isId(globally));
  assert.deepEqual(
    sortedKeys(data),
    sortedKeys(recorded('interrupt_and_delete.json', 'execution_interrupted')),
  );
  assert.equal(sock.texts('execution_success').filter((m) => isId(globally)(m.data)).length, 0);
  const entry = await waitHistory(fake, globally);
  assert.equal(entry.status?.status_str, 'error');
  const messages = entry.status?.messages as [string, unknown][];
  assert.equal(messages.at(-1)?.[0], 'execution_interrupted');
  assert.deepEqual(fake.interrupts, { global: 1, byPromptId: [other] });

  const targeted = await startStalled();
  await interrupt({ prompt_id: targeted });
  fake.stall(false);
  await sock.done(targeted);
  await sock.next('execution_interrupted', isId(targeted));
  assert.deepEqual(fake.interrupts, { global: 1, byPromptId: [other, targeted] });
});
