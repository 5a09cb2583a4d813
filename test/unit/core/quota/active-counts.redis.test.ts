import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { type Admission, QuotaLedger } from '../../../../src/core/quota/quota-ledger.ts';
import { redisActive } from '../../../../src/core/quota/redis-active.ts';
import { redisWindows } from '../../../../src/core/quota/redis-windows.ts';
import type { QuotaConfig, QuotaRefusal, QuotaRequester } from '../../../../src/core/quota/types.ts';
import type { Result } from '../../../../src/shared/result.ts';
import { type RedisServer, startRedis } from '../../../helpers/redis-server.ts';

const alice: QuotaRequester = { platform: 'discord', userId: 'alice', communityId: 'guild1' };
const bob: QuotaRequester = { platform: 'discord', userId: 'bob', communityId: 'guild1' };
const LEASE_MS = 600;

function admitted(result: Result<Admission, QuotaRefusal>): Admission {
  assert.ok(result.ok, `expected admission, got ${!result.ok && JSON.stringify(result.error)}`);
  return result.value;
}

function refusedWith(result: Result<Admission, QuotaRefusal>): string {
  assert.ok(!result.ok, 'expected a refusal');
  return result.error.limit;
}

async function until(condition: () => boolean, timeoutMs = 3000): Promise<number> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Date.now() - start;
}

describe('running and waiting counts shared through Redis', () => {
  let redis: RedisServer;
  const ledgers: QuotaLedger[] = [];
  const children: ChildProcess[] = [];
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const ledger of ledgers) await ledger.close();
    await redis?.stop();
  });

  // Each ledger has its own connections and name, as a separate ComfyRelay process (a Discord shard) would.
  function processLedger(prefix: string, instanceId: string, config: QuotaConfig): QuotaLedger {
    const ledger = new QuotaLedger({
      config: { ...config, defaults: { perWindow: 1000, ...config.defaults } },
      windows: redisWindows({ url: redis.url, prefix: `${prefix}:windows` }),
      active: redisActive({ url: redis.url, prefix, instanceId, leaseMs: LEASE_MS, pollMs: 50 }),
    });
    ledgers.push(ledger);
    return ledger;
  }

  /** Another OS process (`ledger-process.ts`) that has a job of alice's running, once this resolves. */
  async function startProcess(prefix: string, instanceId: string, leaseMs: number): Promise<ChildProcess> {
    const script = fileURLToPath(new URL('./ledger-process.ts', import.meta.url));
    const child = spawn(process.execPath, [script, redis.url, prefix, instanceId, String(leaseMs)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    const [line] = (await once(child.stdout!, 'data')) as [Buffer];
    assert.equal(line.toString().trim(), 'ready');
    return child;
  }

  async function kill(child: ChildProcess): Promise<void> {
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  it('GIVEN a job of alice running in A THEN B cannot start hers until it finishes, then B is told', async () => {
    const config = { defaults: { running: 1, waiting: 5 } };
    const a = processLedger('run', 'a', config);
    const b = processLedger('run', 'b', config);
    let woken = 0;
    b.onCanStart(() => woken++);
    const inA = admitted(await a.admit(alice));
    assert.ok(inA.started().ok);
    const inB = admitted(await b.admit(alice));
    assert.equal(inB.canStart(), false);
    const refused = inB.started();
    assert.ok(!refused.ok);
    assert.equal(refused.error.limit, 'running');
    assert.deepEqual((await b.usage(alice)).running, { used: 1, limit: 1 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(inB.canStart(), false, 'still refused while A runs it');

    await inA.finished();
    await until(() => inB.canStart());
    assert.ok(woken > 0, 'B was told it can start now');
    assert.ok(inB.started().ok);
    const inA2 = admitted(await a.admit(alice));
    assert.equal(inA2.canStart(), false, 'now A waits for B');
    assert.deepEqual((await a.usage(alice)).running, { used: 1, limit: 1 });
  });

  it('GIVEN the person, community and global waiting limits THEN they count jobs waiting in every process', async () => {
    const a = processLedger('wait', 'a', {
      defaults: { waiting: 2, running: 5 },
      community: { waiting: 3 },
      global: { waiting: 4 },
    });
    const b = processLedger('wait', 'b', {
      defaults: { waiting: 2, running: 5 },
      community: { waiting: 3 },
      global: { waiting: 4 },
    });
    const first = admitted(await a.admit(alice));
    admitted(await b.admit(alice));
    assert.equal(refusedWith(await a.admit(alice)), 'waiting');
    assert.equal(refusedWith(await b.admit(alice)), 'waiting');
    assert.deepEqual((await a.usage(alice)).waiting, { used: 2, limit: 2 });
    await first.released();
    admitted(await b.admit(alice));

    admitted(await a.admit(bob));
    assert.equal(refusedWith(await b.admit({ ...bob, userId: 'carol' })), 'community');
    admitted(await b.admit({ ...bob, userId: 'dave', communityId: 'guild2' }));
    assert.equal(refusedWith(await a.admit({ ...bob, userId: 'erin', communityId: 'guild3' })), 'global');
  });

  it('GIVEN many admits and starts from both processes at once THEN no cap is ever exceeded', async () => {
    const config = { defaults: { running: 2, waiting: 5 }, global: { waiting: 9 } };
    const a = processLedger('race', 'a', config);
    const b = processLedger('race', 'b', config);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        (i % 2 ? a : b).admit(i < 20 ? alice : { ...bob, userId: `u${i}` }),
      ),
    );
    const ok = results.filter((r) => r.ok);
    const aliceOk = results.slice(0, 20).filter((r) => r.ok);
    assert.equal(aliceOk.length, 5, 'alice waits at most 5, across both');
    assert.equal(ok.length, 9, 'the global waiting cap holds across both');
    assert.ok(
      results.filter((r) => !r.ok).every((r) => !r.ok && ['waiting', 'global'].includes(r.error.limit)),
    );

    // Both processes now try for alice's 2 running slots; only 2 of her 5 jobs may start in all.
    const jobs = aliceOk.map((r) => (r.ok ? r.value : undefined)!);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(jobs.filter((job) => job.started().ok).length, 2);
    assert.deepEqual((await a.usage(alice)).running, { used: 2, limit: 2 });
    assert.deepEqual((await b.usage(alice)).waiting, { used: 3, limit: 5 });
  });

  it('GIVEN a process killed with a running job THEN it stops counting once its lease expires', async () => {
    const config = { defaults: { running: 1, waiting: 5 } };
    const child = await startProcess('crash', 'doomed', LEASE_MS);
    const survivor = processLedger('crash', 'survivor', config);
    const job = admitted(await survivor.admit(alice));
    assert.equal(job.canStart(), false, 'the other process runs a job of hers');

    await kill(child);
    const killedAt = Date.now();
    await until(() => job.canStart(), LEASE_MS * 5);
    const waited = Date.now() - killedAt;
    assert.ok(waited >= LEASE_MS / 2, `counted until the lease ran out (freed after ${waited} ms)`);
    assert.ok(job.started().ok);
  });

  it('GIVEN a process restarted under its name THEN restore replaces what it held before, not adds to it', async () => {
    const config = { defaults: { running: 2, waiting: 5 } };
    await kill(await startProcess('restart', 'shard0', 60_000));

    // Its lease (60 s) is still alive; the new run takes it over with the job that is still running.
    const restarted = processLedger('restart', 'shard0', config);
    const [running] = restarted.restore([{ requester: alice, state: 'running' }]);
    const other = processLedger('restart', 'other', config);
    const first = admitted(await other.admit(alice));
    const second = admitted(await other.admit(alice));
    await until(() => first.canStart());
    assert.ok(first.started().ok, 'one slot left: the restored job is counted once');
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(second.canStart(), false);
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS * 2));
    assert.equal(second.canStart(), false, 'the restarted process keeps its lease alive');
    await running!.finished();
    await until(() => second.canStart());
  });
});
