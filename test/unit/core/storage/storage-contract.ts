import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Storage } from '../../../../src/core/storage/create-storage.ts';

export interface FakeJob {
  id: string;
  state: 'queued' | 'running' | 'succeeded' | 'failed';
}

/** The behaviour every storage engine must share; `open` returns a fresh, empty storage each call. */
export function storageContract(open: () => Promise<Storage<FakeJob, { locale: string }>>): void {
  async function collect<T>(iterable: AsyncIterable<[string, T]>): Promise<Map<string, T>> {
    const out = new Map<string, T>();
    for await (const [id, value] of iterable) out.set(id, value);
    return out;
  }

  it('GIVEN a job saved THEN get returns it and delete removes it', async () => {
    const storage = await open();
    await storage.jobs.set('j1', { id: 'j1', state: 'queued' });
    assert.deepEqual(await storage.jobs.get('j1'), { id: 'j1', state: 'queued' });
    assert.equal(await storage.jobs.delete('j1'), true);
    assert.equal(await storage.jobs.get('j1'), undefined);
  });

  it('GIVEN the same id in two namespaces THEN each namespace keeps its own value and list', async () => {
    const storage = await open();
    await storage.jobs.set('x', { id: 'x', state: 'queued' });
    await storage.users.set('x', { locale: 'zh' });
    await storage.quota.set('x', { used: 3 });
    assert.deepEqual(await storage.users.get('x'), { locale: 'zh' });
    assert.deepEqual([...(await collect(storage.users.list())).keys()], ['x']);
    assert.deepEqual(await storage.quota.get('x'), { used: 3 });
  });

  it('GIVEN keys containing colons THEN list returns the ids unchanged', async () => {
    const storage = await open();
    await storage.users.set('discord:123', { locale: 'en' });
    await storage.users.set('id:alice', { locale: 'zh' });
    const all = await collect(storage.users.list());
    assert.deepEqual([...all.keys()].sort(), ['discord:123', 'id:alice']);
  });

  it('GIVEN a ttl THEN the entry is gone after it', async () => {
    const storage = await open();
    await storage.users.set('temp', { locale: 'en' }, 20);
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.equal(await storage.users.get('temp'), undefined);
  });

  it('GIVEN jobs in several states THEN listActive returns the unfinished ones only', async () => {
    const storage = await open();
    await storage.jobs.set('a', { id: 'a', state: 'queued' });
    await storage.jobs.set('b', { id: 'b', state: 'running' });
    await storage.jobs.set('c', { id: 'c', state: 'succeeded' });
    await storage.jobs.set('b', { id: 'b', state: 'failed' });
    await storage.jobs.set('d', { id: 'd', state: 'running' });
    await storage.jobs.delete('d');
    const active = await collect(storage.jobs.listActive());
    assert.deepEqual([...active.keys()], ['a']);
    assert.equal((await collect(storage.jobs.list())).size, 3);
  });

  it('GIVEN the same event key claimed twice THEN only the first claim wins', async () => {
    const storage = await open();
    const claims = await Promise.all([1, 2, 3, 4].map(() => storage.claimOnce('telegram:update:42', 60_000)));
    assert.equal(claims.filter(Boolean).length, 1);
    assert.equal(await storage.claimOnce('telegram:update:43', 60_000), true);
  });

  it('GIVEN a claim holder THEN a repeat returns it, and an expired claim can be taken again', async () => {
    const storage = await open();
    // Redis expires claims in real time: the TTL leaves a loaded machine room between the first two.
    assert.equal(await storage.claim('evt', 'job-1', 300), undefined);
    assert.equal(await storage.claim('evt', 'job-2', 300), 'job-1');
    await new Promise((resolve) => setTimeout(resolve, 350));
    assert.equal(await storage.claim('evt', 'job-3', 300), undefined);
  });

  it('GIVEN audit entries appended THEN listAudit returns the newest first, limited', async () => {
    const storage = await open();
    for (let i = 1; i <= 5; i++) {
      await storage.appendAudit({ at: i, actor: 'discord:1', action: 'quota.reset', target: `user${i}` });
    }
    const latest = await storage.listAudit(3);
    assert.deepEqual(
      latest.map((e) => e.target),
      ['user5', 'user4', 'user3'],
    );
    assert.deepEqual(latest[0], { at: 5, actor: 'discord:1', action: 'quota.reset', target: 'user5' });
  });

  it('GIVEN audit entries older than the audit age THEN pruneAudit drops exactly those, newest kept', async () => {
    const storage = await open();
    for (let i = 1; i <= 1200; i++)
      await storage.appendAudit({ at: i, actor: 'cli:root', action: 'user.ban' });
    assert.equal(await storage.pruneAudit(1101), 1100);
    const left = await storage.listAudit(1000);
    assert.deepEqual(
      left.map((e) => e.at),
      Array.from({ length: 100 }, (_, i) => 1200 - i),
    );
    assert.equal(await storage.pruneAudit(1101), 0, 'a second run finds nothing');
    await storage.appendAudit({ at: 5000, actor: 'cli:root', action: 'quota.reset' });
    assert.equal((await storage.listAudit(1))[0]!.at, 5000, 'appending goes on after pruning');
  });

  it('GIVEN compact THEN expired entries are gone and live ones kept', async () => {
    const storage = await open();
    await storage.users.set('short', { locale: 'en' }, 10);
    await storage.users.set('kept', { locale: 'zh' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const report = await storage.compact();
    assert.ok(report.expired >= 0);
    assert.equal(await storage.users.get('short'), undefined);
    assert.deepEqual(await storage.users.get('kept'), { locale: 'zh' });
  });
}
