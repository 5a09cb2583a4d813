import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Keyv } from 'keyv';
import { SqliteKeyvStore } from '../../../../src/core/storage/sqlite-keyv-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'comfyrelay-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshFile = () => join(dir, `store-${files++}.db`);

const stores: SqliteKeyvStore[] = [];
function open(options: ConstructorParameters<typeof SqliteKeyvStore>[0] = {}): SqliteKeyvStore {
  const store = new SqliteKeyvStore(options);
  stores.push(store);
  return store;
}
after(async () => {
  for (const store of stores) await store.disconnect();
});

function keyvOn(path: string, namespace = 'ns'): Keyv {
  return new Keyv({ store: open({ path }), namespace, throwOnErrors: true });
}

async function collect(keyv: Keyv): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for await (const [key, value] of keyv.iterator!(undefined)) out[key as string] = value;
  return out;
}

describe('SqliteKeyvStore (adapter)', () => {
  it('GIVEN a value set THEN get returns it, has is true, and delete removes it once', async () => {
    const store = open();
    await store.set('a', '"x"');
    assert.equal(await store.get('a'), '"x"');
    assert.equal(await store.has('a'), true);
    assert.equal(await store.delete('a'), true);
    assert.equal(await store.delete('a'), false);
    assert.equal(await store.get('a'), undefined);
  });

  it('GIVEN a ttl THEN the row reads as missing once the clock passes it', async () => {
    let now = 1_000;
    const store = open({ now: () => now });
    await store.set('k', 'v', 50);
    assert.equal(await store.get('k'), 'v');
    now += 50;
    assert.equal(await store.get('k'), undefined);
    assert.equal(await store.has('k'), false);
    assert.deepEqual(await store.getMany(['k']), [undefined]);
    assert.equal(store.purgeExpired(), 1);
  });

  it('GIVEN several keys THEN getMany keeps order and deleteMany reports whether any existed', async () => {
    const store = open();
    await store.set('a', '1');
    await store.set('b', '2');
    assert.deepEqual(await store.getMany(['b', 'zz', 'a']), ['2', undefined, '1']);
    assert.equal(await store.deleteMany(['a', 'zz']), true);
    assert.equal(await store.deleteMany(['zz']), false);
  });

  it('GIVEN more rows than one page THEN the iterator yields each live row of the namespace once', async () => {
    let now = 0;
    const store = open({ now: () => now });
    for (let i = 0; i < 450; i++) await store.set(`ns:${String(i).padStart(3, '0')}`, String(i));
    await store.set('ns:expired', 'x', 10);
    await store.set('other:1', 'no');
    await store.set('ns2:1', 'no');
    now = 100;
    const keys: string[] = [];
    for await (const [key] of store.iterator('ns')) keys.push(key as string);
    assert.equal(keys.length, 450);
    assert.equal(new Set(keys).size, 450);
    assert.ok(keys.every((k) => k.startsWith('ns:') && k !== 'ns:expired'));
  });
});

describe('SqliteKeyvStore under Keyv', () => {
  it('GIVEN JSON values THEN Keyv round-trips them', async () => {
    const keyv = keyvOn(freshFile());
    await keyv.set('job', { id: 'j1', n: 2, tags: ['a'] });
    assert.deepEqual(await keyv.get('job'), { id: 'j1', n: 2, tags: ['a'] });
  });

  it('GIVEN two namespaces on one file THEN clear and iterate touch only their own', async () => {
    const file = freshFile();
    const jobs = keyvOn(file, 'jobs');
    const users = keyvOn(file, 'users');
    await jobs.set('1', 'job');
    await users.set('1', 'user');
    await users.set('2', 'user2');
    assert.deepEqual(await collect(users), { '1': 'user', '2': 'user2' });
    await users.clear();
    assert.deepEqual(await collect(users), {});
    assert.equal(await jobs.get('1'), 'job');
  });

  it('GIVEN a short ttl through Keyv THEN the value disappears after it', async () => {
    const keyv = keyvOn(freshFile());
    await keyv.set('t', 1, 15);
    assert.equal(await keyv.get('t'), 1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(await keyv.get('t'), undefined);
    assert.deepEqual(await collect(keyv), {});
  });

  it('GIVEN a file written and closed THEN a new store on the same file reads the data', async () => {
    const file = freshFile();
    const first = new SqliteKeyvStore({ path: file });
    await new Keyv({ store: first, namespace: 'ns' }).set('kept', { v: 1 });
    await first.disconnect();
    const second = keyvOn(file);
    assert.deepEqual(await second.get('kept'), { v: 1 });
  });

  it('GIVEN two Keyv instances with their own connections to one file THEN each sees the other writes', async () => {
    const file = freshFile();
    const a = keyvOn(file);
    const b = keyvOn(file);
    await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).set(`k${i}`, i)));
    assert.equal(await a.get('k2'), 2);
    assert.equal(await b.get('k3'), 3);
    assert.equal(Object.keys(await collect(a)).length, 50);
    await b.delete('k2');
    assert.equal(await a.get('k2'), undefined);
  });
});
