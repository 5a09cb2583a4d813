import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { ComfyClient, type ComfyJobEvent } from '../../../src/comfy/index.ts';
import { type FakeComfy, startFakeComfy } from '../../fakes/comfy/index.ts';
import { sdWorkflow } from './workflows.ts';

const clients: ComfyClient[] = [];
/** A fresh seed per job, so no step comes from the fake's cache. */
let seed = 9000;

function client(fake: FakeComfy, clientId: string): ComfyClient {
  const c = new ComfyClient({
    baseUrl: fake.url,
    clientId,
    reconnect: { initialMs: 20, maxMs: 200 },
    idleEventMs: 1500,
    reconcileThrottleMs: 100,
  });
  clients.push(c);
  return c;
}

function recorder() {
  const events: ComfyJobEvent[] = [];
  const progress = () => events.flatMap((e) => (e.type === 'progress' ? [e.value] : []));
  return { events, onEvent: (e: ComfyJobEvent) => events.push(e), progress };
}

const until = async (check: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

/**
 * A process that restarts keeps its client id (persisted) and re-attaches its running prompts: ComfyUI
 * sends a prompt's progress only to the socket of the client id it was submitted with.
 */
describe('ComfyClient re-attaching a prompt after a restart', () => {
  let fake: FakeComfy;
  before(async () => {
    fake = await startFakeComfy({ models: { checkpoints: ['tiny-random.safetensors'] }, stepDelayMs: 20 });
  });
  afterEach(async () => {
    fake.clearFaults();
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await fake.idle();
  });
  after(() => fake.close());

  /** Client A submits a long job and stops mid-job, with the job held still until the next client is up. */
  async function submitThenStop(clientId: string) {
    const a = client(fake, clientId);
    const seenByA = recorder();
    const workflow = sdWorkflow(seed++, 20);
    const handle = await a.submit(workflow, { onEvent: seenByA.onEvent });
    await until(() => seenByA.progress().length > 0);
    fake.stall(true);
    await a.close();
    return { promptId: handle.promptId, workflow, lastSeenByA: seenByA.progress().at(-1)! };
  }

  it('GIVEN a new client with the same client id WHEN it re-attaches the running prompt THEN it receives the progress from where A stopped, and the outcome', async () => {
    const clientId = randomUUID();
    const { promptId, workflow, lastSeenByA } = await submitThenStop(clientId);
    const b = client(fake, clientId);
    const seenByB = recorder();
    const handle = b.attach(promptId, workflow, seenByB.onEvent);
    assert.equal(await b.connect(), true);
    assert.ok(fake.connectedClients().includes(clientId), 'B holds the socket of that id');
    fake.stall(false);
    const outcome = await handle.done;
    assert.equal(outcome.type, 'succeeded', JSON.stringify(outcome));
    const progress = seenByB.progress();
    assert.ok(progress.length > 0, 'B received progress over its socket');
    assert.ok(progress[0]! > lastSeenByA, `B's progress continues after step ${lastSeenByA}: ${progress}`);
    assert.equal(progress.at(-1), 20);
    assert.ok(outcome.type === 'succeeded' && outcome.outputs.length === 1);
    const posts = fake.requests.filter((q) => q.method === 'POST' && q.path === '/prompt');
    assert.equal((posts.at(-1)?.json as { client_id?: string } | undefined)?.client_id, clientId);
  });

  it('GIVEN a new client with another client id WHEN it re-attaches the prompt THEN it receives the outcome but none of the progress', async () => {
    const { promptId, workflow } = await submitThenStop(randomUUID());
    const other = client(fake, randomUUID());
    const seen = recorder();
    const handle = other.attach(promptId, workflow, seen.onEvent);
    assert.equal(await other.connect(), true);
    fake.stall(false);
    const outcome = await handle.done;
    assert.equal(outcome.type, 'succeeded', JSON.stringify(outcome));
    assert.deepEqual(seen.progress(), [], 'progress goes to the submitting client id only');
  });
});
