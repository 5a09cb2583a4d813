import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { settled } from '../../helpers/app.ts';
import {
  type AbuseRequest,
  contentType,
  GET_PATHS,
  headerText,
  imagineBody,
  jobBody,
  type Known,
  multipart,
  range,
  rawBody,
} from './abuse-arbitraries.ts';
import { smallPng } from './bad-inputs.ts';
import { type Harness, startHarness } from './harness.ts';
import { imagine, upload } from './requests.ts';

// Issue 12's abuse suite. Reproduce a run with ABUSE_SEED=<seed>; ABUSE_RUNS sets the case count.
const SEED = Number(process.env['ABUSE_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const RUNS = Number(process.env['ABUSE_RUNS'] ?? 300);
const ROOT = resolve(import.meta.dirname, '../../..');
const ARTIFACTS = join(ROOT, 'test-artifacts');
const STACK_LINE = /\bat [^\n]*\.(?:ts|js):\d+:\d+/;

interface Answer {
  status: number;
  type: string;
  body: string;
}

/** One raw request (any Host, any header, any bytes); streams are read for a moment and dropped. */
function send(base: string, r: AbuseRequest): Promise<Answer> {
  return new Promise((done, fail) => {
    const url = new URL(base);
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: r.method,
        path: r.path,
        headers: r.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const type = String(res.headers['content-type'] ?? '');
        const finish = () =>
          done({ status: res.statusCode ?? 0, type, body: Buffer.concat(chunks).toString('utf8') });
        const stop = setTimeout(
          () => {
            res.destroy();
            finish();
          },
          type.includes('event-stream') ? 1500 : 15_000,
        );
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size < 1_000_000) chunks.push(c);
        });
        res.on('close', () => {
          clearTimeout(stop);
          finish();
        });
      },
    );
    req.setTimeout(20_000, () => req.destroy(new Error(`no answer in 20 s: ${r.method} ${r.path}`)));
    // Past Node's 16 KB header limit the server answers 431 and closes at once: the client may only
    // see the reset. That is the HTTP parser refusing the request, not the application failing.
    const headerBytes = r.path.length + JSON.stringify(r.headers).length;
    req.on('error', (e: NodeJS.ErrnoException) =>
      headerBytes > 16_000 && (e.code === 'ECONNRESET' || e.code === 'EPIPE')
        ? done({ status: 431, type: '', body: '' })
        : fail(e),
    );
    req.end(r.body);
  });
}

const cut = (v: unknown): string => {
  const text = typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString('latin1') : JSON.stringify(v);
  return text.length > 300
    ? `${JSON.stringify(text.slice(0, 300))}… (${text.length} chars)`
    : JSON.stringify(text);
};
const describeRequest = (r: AbuseRequest): string =>
  `${r.target} ${r.method} ${cut(r.path)} headers=${cut(r.headers)} body=${r.body === undefined ? '-' : cut(r.body)}`;

/** A request before its target and the generated auth and browser headers are added. */
type Shape = Omit<AbuseRequest, 'target' | 'headers'> & { own: Record<string, string> };

function requests(known: Known): fc.Arbitrary<AbuseRequest> {
  const target = fc.constantFrom('keyed' as const, 'keyed' as const, 'open' as const);
  // Mostly the real key, so most requests get past authentication to the handlers.
  const auth = fc.oneof(
    { weight: 8, arbitrary: fc.constant({ authorization: `Bearer ${known.key}` }) },
    { weight: 1, arbitrary: fc.constant({} as Record<string, string>) },
    { weight: 1, arbitrary: headerText.map((t) => ({ authorization: `Bearer ${t}` })) },
    { weight: 1, arbitrary: headerText.map((t) => ({ 'x-api-key': t })) },
    { weight: 1, arbitrary: fc.constant({ authorization: `Bearer cr_${'a'.repeat(16)}_${'b'.repeat(40)}` }) },
  );
  const browserish = fc.oneof(
    { weight: 2, arbitrary: fc.constant({} as Record<string, string>) },
    fc.record(
      {
        origin: fc.oneof(fc.constantFrom('http://evil.example', 'null', 'http://127.0.0.1:1'), headerText),
        'sec-fetch-site': fc.constantFrom('cross-site', 'same-site', 'same-origin', 'none', 'bogus'),
        host: fc.oneof(fc.constantFrom('evil.example', 'localhost', '127.0.0.1', '[::1]', ''), headerText),
        'accept-language': headerText,
        'idempotency-key': headerText,
        'last-event-id': headerText,
        range,
      },
      { requiredKeys: [] },
    ),
  );
  const json = (kind: string, path: string, body: fc.Arbitrary<unknown>) =>
    fc.record({ body, type: contentType, query: fc.constantFrom('', '?wait=false', '?stream=false') }).map(
      (b): Shape => ({
        kind,
        method: 'POST',
        path: path + b.query,
        body: JSON.stringify(b.body) ?? 'undefined',
        own: { 'content-type': b.type || 'application/json' },
      }),
    );
  const shapes: fc.Arbitrary<Shape> = fc.oneof(
    json('relay imagine (json)', '/api/relay/imagine', imagineBody),
    json('v2 jobs (json)', '/api/v2/jobs', jobBody(known)),
    json(
      'v2 from-hash (json)',
      '/api/v2/assets/from-hash',
      fc.record({ hash: headerText, file_path: headerText }),
    ),
    fc
      .record({
        path: fc.constantFrom(
          '/api/relay/imagine',
          '/api/v2/jobs',
          '/api/v2/assets/from-hash',
          '/api/v2/assets',
        ),
        body: rawBody,
        type: contentType,
      })
      .map((b) => ({
        kind: 'raw bodies',
        method: 'POST',
        path: b.path,
        body: b.body,
        own: { 'content-type': b.type },
      })),
    multipart(known).map((m) => ({
      kind: 'multipart uploads',
      method: 'POST',
      path: '/api/v2/assets',
      body: m.body,
      own: { 'content-type': m.type },
    })),
    fc
      .tuple(
        GET_PATHS(known),
        fc.constantFrom('GET', 'GET', 'HEAD', 'DELETE', 'POST', 'PUT', 'PATCH', 'OPTIONS'),
      )
      .map(([[template, a, b], method]) => ({
        kind: 'paths and methods',
        method,
        path: template.replace('{id}', a).replace('{id}', b),
        own: {},
      })),
    fc
      .tuple(fc.constantFrom(known.jobId, 'nope'), fc.constantFrom('/api/v2/jobs', '/api/relay/jobs'))
      .map(([jobId, base]) => ({
        kind: 'cancel',
        method: 'POST',
        path: `${base}/${jobId}/cancel`,
        own: {},
      })),
  );
  // The server without keys is asked without one (a key sent to it is checked, and refused).
  const targetAndAuth = target.chain((t) =>
    fc.record({ target: fc.constant(t), auth: t === 'open' ? fc.constant({}) : auth }),
  );
  return fc
    .record({ targetAndAuth, browserish, shape: shapes })
    .map(({ targetAndAuth: { target, auth }, ...rest }) => ({ target, auth, ...rest }))
    .map(({ target: t, auth: a, browserish: b, shape }) => {
      const { own, ...rest } = shape;
      const request: AbuseRequest = { ...rest, target: t, headers: { ...a, ...b, ...own } };
      // A failure prints the request in full but each long string cut, so the report stays readable.
      return Object.assign(request, { [fc.toStringMethod]: () => describeRequest(request) });
    });
}

describe('issue 12: the abuse suite (property-based)', () => {
  let keyed: Harness;
  let open: Harness;
  let known: Known;
  before(async () => {
    const limits = { uploadsPerMinute: 10_000, streamsPerKey: 100, concurrentUploads: 8 };
    keyed = await startHarness({ config: { http: { limits } } });
    open = await startHarness({ noKey: true, config: { http: { limits } } });
    const png = await smallPng();
    const asset = (await (await upload(keyed, png)).json()) as { id: string; hash: string };
    const job = (await (await imagine(keyed, { prompt: 'known --steps 2' })).json()) as { id: string };
    await settled(keyed.app, job.id);
    known = { key: keyed.key, jobId: job.id, assetId: asset.id, assetHash: asset.hash, png };
  });
  after(async () => {
    await keyed.close();
    await open.close();
  });

  it(`GIVEN ${RUNS} generated bad requests across every endpoint THEN never a 5xx, a stack trace or a file path; the server stays up and RSS bounded`, {
    timeout: 240_000,
  }, async (t) => {
    const rssBefore = process.memoryUsage().rss;
    const byKind = new Map<string, number>();
    const byStatus = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(requests(known), async (r) => {
        const base = r.target === 'keyed' ? keyed.url : open.url;
        const answer = await send(base, r);
        byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1);
        byStatus.set(answer.status, (byStatus.get(answer.status) ?? 0) + 1);
        assert.ok(
          answer.status >= 100 && answer.status < 500,
          `${answer.status}: ${answer.body.slice(0, 300)}`,
        );
        assert.ok(!answer.body.includes(ROOT), `a file path in: ${answer.body.slice(0, 300)}`);
        assert.ok(!answer.body.includes('node_modules'), `a file path in: ${answer.body.slice(0, 300)}`);
        assert.doesNotMatch(answer.body, STACK_LINE);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    const summary = [
      `abuse suite: ${RUNS} generated requests, seed ${SEED} (ABUSE_SEED=${SEED} to replay)`,
      `  by endpoint: ${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')}`,
      `  by status: ${[...byStatus]
        .sort((a, b) => a[0] - b[0])
        .map(([s, n]) => `${s}×${n}`)
        .join(' ')}`,
    ];
    // Shown by the spec reporter; the dot reporter hides output, so the summary is also kept in a file.
    for (const line of summary) {
      console.log(line);
      t.diagnostic(line);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'abuse-suite.txt'), `${summary.join('\n')}\n`);
    assert.equal(
      [...byKind.values()].reduce((a, b) => a + b, 0),
      RUNS,
    );
    for (const h of [keyed, open]) assert.equal((await fetch(`${h.url}/healthz`)).status, 200);
    const grown = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
    t.diagnostic(`RSS grew ${Math.round(grown)} MB`);
    assert.ok(grown < 400, `RSS grew ${Math.round(grown)} MB`);
  });
});
