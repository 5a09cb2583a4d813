import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { bufferedRequest } from '../../../src/comfy/buffered-request.ts';

type Seen = { method: string; url: string; headers: IncomingMessage['headers']; body: string };
const seen: Seen[] = [];
let stalled: ServerResponse[] = [];

const server = createServer(async (req, res) => {
  let body = '';
  for await (const chunk of req) body += chunk;
  seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
  if (req.url === '/empty') return res.writeHead(204).end();
  if (req.url === '/stall') return void stalled.push(res);
  if (req.url === '/chunks') {
    res.writeHead(200, { 'content-type': 'text/plain', 'x-count': '3' });
    for (const part of ['one ', 'two ', 'three']) res.write(part);
    return res.end();
  }
  res.writeHead(req.url === '/missing' ? 404 : 200, {
    'content-type': 'application/json',
    'x-ratelimit-bucket': 'abc',
    'set-cookie': ['a=1', 'b=2'],
  });
  res.end(JSON.stringify({ echo: body, path: req.url }));
});
let base = '';

before(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  for (const res of stalled) res.destroy();
  stalled = [];
  server.closeAllConnections();
  server.close();
});

describe('bufferedRequest', () => {
  it('GIVEN a JSON POST THEN the server gets method, headers, query and body, and the answer reads as JSON', async () => {
    const res = await bufferedRequest(`${base}/api/x?with_response=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bot t' },
      body: '{"type":5}',
    });
    const last = seen.at(-1)!;
    assert.equal(last.method, 'POST');
    assert.equal(last.url, '/api/x?with_response=true');
    assert.equal(last.headers.authorization, 'Bot t');
    assert.equal(last.body, '{"type":5}');
    assert.equal(res.status, 200);
    assert.equal(res.ok, true);
    assert.equal(res.statusText, 'OK');
    assert.equal(res.headers.get('X-RateLimit-Bucket'), 'abc');
    assert.equal(res.headers.get('set-cookie'), 'a=1, b=2');
    assert.equal(res.headers.get('x-absent'), null);
    assert.equal(res.headers.has('Content-Type'), true);
    assert.equal(res.bodyUsed, false);
    assert.deepEqual(await res.json(), { echo: '{"type":5}', path: '/api/x?with_response=true' });
    assert.equal(res.bodyUsed, true);
  });

  it('GIVEN a bodiless 204 THEN no body and an empty buffer', async () => {
    const res = await bufferedRequest(`${base}/empty`, { method: 'DELETE' });
    assert.equal(res.status, 204);
    assert.equal(res.body, null);
    assert.equal((await res.arrayBuffer()).byteLength, 0);
  });

  it('GIVEN an answer in several chunks THEN text, arrayBuffer and the body stream hold all of it', async () => {
    const res = await bufferedRequest(`${base}/chunks`, {});
    assert.equal(seen.at(-1)!.method, 'GET');
    assert.equal(res.headers.get('x-count'), '3');
    assert.equal(await res.text(), 'one two three');
    const again = await bufferedRequest(`${base}/chunks`, {});
    assert.equal(Buffer.from(await again.arrayBuffer()).toString(), 'one two three');
    const streamed = await bufferedRequest(`${base}/chunks`, {});
    let text = '';
    for await (const chunk of streamed.body!) text += chunk;
    assert.equal(text, 'one two three');
  });

  it('GIVEN an answer over the size limit THEN it rejects, naming the limit', async () => {
    await assert.rejects(bufferedRequest(`${base}/chunks`, { maxBodyBytes: 5 }), /over 5 bytes/);
    assert.equal(
      await (await bufferedRequest(`${base}/chunks`, { maxBodyBytes: 13 })).text(),
      'one two three',
    );
  });

  it('GIVEN a 404 THEN it resolves, not ok, with the body readable', async () => {
    const res = await bufferedRequest(`${base}/missing`, {});
    assert.equal(res.status, 404);
    assert.equal(res.ok, false);
    assert.equal(res.statusText, 'Not Found');
    assert.deepEqual(await res.json(), { echo: '', path: '/missing' });
  });

  it('GIVEN a signal aborted while the server stalls THEN it rejects with the signal reason', async () => {
    const controller = new AbortController();
    const pending = bufferedRequest(`${base}/stall`, { signal: controller.signal });
    while (stalled.length === 0) await new Promise((r) => setImmediate(r));
    controller.abort(new Error('timed out'));
    await assert.rejects(pending, /timed out/);
  });

  it('GIVEN a signal already aborted THEN it rejects without an answer', async () => {
    const before = seen.length;
    const controller = new AbortController();
    controller.abort(new Error('gave up'));
    await assert.rejects(bufferedRequest(`${base}/api/y`, { signal: controller.signal }), /gave up/);
    assert.equal(
      seen.slice(before).some((s) => s.url === '/api/y'),
      false,
    );
  });

  it('GIVEN nothing listening THEN it rejects with the connection error', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    await assert.rejects(bufferedRequest(`http://127.0.0.1:${port}/`, {}), /ECONNREFUSED/);
  });
});
