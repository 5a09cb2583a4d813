import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { type Admission, QuotaLedger } from '../../../../src/core/quota/quota-ledger.ts';
import { redisActive, type RedisActiveOptions } from '../../../../src/core/quota/redis-active.ts';
import { redisWindows } from '../../../../src/core/quota/redis-windows.ts';
import type { QuotaConfig, QuotaRefusal, QuotaRequester } from '../../../../src/core/quota/types.ts';
import type { Result } from '../../../../src/shared/result.ts';
import { type RedisServer, startRedis } from '../../../helpers/redis-server.ts';

const alice: QuotaRequester = { platform: 'discord', userId: 'alice', communityId: 'guild1' };
const bob: QuotaRequester = { platform: 'discord', userId: 'bob', communityId: 'guild1' };

function admitted(result: Result<Admission, QuotaRefusal>): Admission {
  assert.ok(result.ok, `expected admission, got ${!result.ok && JSON.stringify(result.error)}`);
  return result.value;
}

function refusedWith(result: Result<Admission, QuotaRefusal>): string {
  assert.ok(!result.ok, 'expected a refusal');
  return result.error.limit;
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('running and waiting counts shared through Redis, per job', () => {
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

  // Each ledger has its own connections, as a separate ComfyRelay process (a Discord shard) would.
  function processLedger(
    prefix: string,
    config: QuotaConfig,
    extra: Partial<RedisActiveOptions> = {},
  ): QuotaLedger {
    const ledger = new QuotaLedger({
      config: { ...config, defaults: { perWindow: 1000, ...config.defaults } },
      windows: redisWindows({ url: redis.url, prefix: `${prefix}:windows` }),
      active: redisActive({ url: redis.url, prefix, pollMs: 50, ...extra }),
    });
    ledgers.push(ledger);
    return ledger;
  }

  it('GIVEN a job of alice running in A THEN B cannot start hers until it finishes, then B is told', async () => {
    const config = { defaults: { running: 1, waiting: 5 } };
    const a = processLedger('run', config);
    const b = processLedger('run', config);
    let woken = 0;
    b.onCanStart(() => woken++);
    const inA = admitted(await a.admit(alice));
    assert.ok(inA.started().ok);
    await until(async () => (await b.usage(alice)).running.used === 1);
    const inB = admitted(await b.admit(alice));
    assert.equal(inB.canStart(), false);
    const refused = inB.started();
    assert.ok(!refused.ok);
    assert.equal(refused.error.limit, 'running');
    assert.deepEqual((await b.usage(alice)).running, { used: 1, limit: 1 });

    await inA.finished();
    await until(() => inB.canStart());
    assert.ok(woken > 0, 'B was told it can start now');
    assert.ok(inB.started().ok);
  });

  it('GIVEN the person, community and global waiting limits THEN they count jobs waiting in every process', async () => {
    const config = {
      defaults: { waiting: 2, running: 5 },
      community: { waiting: 3 },
      global: { waiting: 4 },
    };
    const a = processLedger('wait', config);
    const b = processLedger('wait', config);
    const first = admitted(await a.admit(alice));
    admitted(await b.admit(alice));
    assert.equal(refusedWith(await a.admit(alice)), 'waiting');
    assert.equal(refusedWith(await b.admit(alice)), 'waiting');
    assert.deepEqual((await a.usage(alice)).waiting, { used: 2, limit: 2 });
    await first.released();
    await until(async () => (await b.usage(alice)).waiting.used === 1);
    admitted(await b.admit(alice));

    admitted(await a.admit(bob));
    assert.equal(refusedWith(await b.admit({ ...bob, userId: 'carol' })), 'community');
    admitted(await b.admit({ ...bob, userId: 'dave', communityId: 'guild2' }));
    assert.equal(refusedWith(await a.admit({ ...bob, userId: 'erin', communityId: 'guild3' })), 'global');
  });

  it('GIVEN many admits from both processes at once THEN no waiting cap is ever exceeded', async () => {
    const config = { defaults: { running: 2, waiting: 5 }, global: { waiting: 9 } };
    const a = processLedger('race', config);
    const b = processLedger('race', config);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        (i % 2 ? a : b).admit(i < 20 ? alice : { ...bob, userId: `u${i}` }),
      ),
    );
    assert.equal(results.slice(0, 20).filter((r) => r.ok).length, 5, 'alice waits at most 5, across both');
    assert.equal(results.filter((r) => r.ok).length, 9, 'the global waiting cap holds across both');
    assert.ok(
      results.filter((r) => !r.ok).every((r) => !r.ok && ['waiting', 'global'].includes(r.error.limit)),
    );
  });

  it('GIVEN the same job admitted or restored twice THEN it is counted once', async () => {
    const config = { defaults: { running: 3, waiting: 5 } };
    const a = processLedger('once', config);
    const b = processLedger('once', config);
    admitted(await a.admit(alice, { jobId: 'job-1' }));
    admitted(await b.admit(alice, { jobId: 'job-1' }));
    b.restore([{ requester: alice, state: 'waiting', jobId: 'job-1' }]);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual((await a.usage(alice)).waiting, { used: 1, limit: 5 });
  });

  it('GIVEN a process killed with a running job THEN the job stays counted until the process that takes it over ends it', async () => {
    const script = fileURLToPath(new URL('./ledger-process.ts', import.meta.url));
    const child = spawn(process.execPath, [script, redis.url, 'crash'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    const [line] = (await once(child.stdout!, 'data')) as [Buffer];
    assert.equal(line.toString().trim(), 'ready');
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;

    const survivor = processLedger('crash', { defaults: { running: 1, waiting: 5 } });
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(
      (await survivor.usage(alice)).running,
      { used: 1, limit: 1 },
      'still running on ComfyUI',
    );
    const [takenOver] = survivor.restore([{ requester: alice, state: 'running', jobId: 'crashed-job' }]);
    await takenOver!.finished();
    await until(async () => (await survivor.usage(alice)).running.used === 0);
  });

  it('GIVEN a counted job that no longer exists THEN the sweep stops counting it', async () => {
    const ledger = processLedger(
      'sweep',
      { defaults: { running: 1, waiting: 5 } },
      { isJobActive: async (id) => id !== 'vanished', sweepMs: 100, sweepGraceMs: 0 },
    );
    admitted(await ledger.admit(alice, { jobId: 'vanished' }));
    admitted(await ledger.admit(alice, { jobId: 'still-here' }));
    await until(async () => (await ledger.usage(alice)).waiting.used === 1);
  });
});
