import assert from 'node:assert/strict';
import { statSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { linkSecret } from '../../../../src/core/jobs/link-secret.ts';
import { type LinkedJob, outputLinks } from '../../../../src/core/jobs/output-links.ts';

const DAY = 24 * 3600_000;
const T0 = Date.UTC(2026, 0, 1);

function setup(o: { ttlDays?: number; retentionDays?: number } = {}) {
  let now = T0;
  const links = outputLinks({
    baseUrl: 'https://relay.example.com/',
    secret: Buffer.alloc(32, 7),
    ttlMs: (o.ttlDays ?? 7) * DAY,
    retentionMs: (o.retentionDays ?? 30) * DAY,
    now: () => now,
  });
  return { links, advance: (ms: number) => (now += ms) };
}

const job: LinkedJob = { id: 'abc123def4', finishedAt: T0, updatedAt: T0 };
const parts = (url: string) => {
  const u = new URL(url);
  const [, , jobId, index] = u.pathname.split('/');
  return {
    jobId: jobId!,
    index: Number(index),
    exp: u.searchParams.get('exp')!,
    sig: u.searchParams.get('sig')!,
  };
};

describe('output links', () => {
  it('GIVEN a link THEN it names the job and file under /files on the public URL and checks as valid', () => {
    const { links } = setup();
    const link = links.outputLink(job, 2)!;
    assert.match(link.url, /^https:\/\/relay\.example\.com\/files\/abc123def4\/2\?exp=\d+&sig=[\w-]{43}$/);
    const p = parts(link.url);
    assert.equal(links.check(p.jobId, p.index, p.exp, p.sig), 'valid');
    assert.equal(link.expiresAt, T0 + 7 * DAY);
  });

  it('GIVEN a tampered signature, expiry or job id THEN the link is invalid', () => {
    const { links } = setup();
    const p = parts(links.outputLink(job, 0)!.url);
    const flipped = `${p.sig[0] === 'A' ? 'B' : 'A'}${p.sig.slice(1)}`;
    assert.equal(links.check(p.jobId, p.index, p.exp, flipped), 'invalid');
    assert.equal(links.check(p.jobId, p.index, String(Number(p.exp) + 86400), p.sig), 'invalid');
    assert.equal(links.check('abc123def5', p.index, p.exp, p.sig), 'invalid');
    assert.equal(links.check(p.jobId, p.index, p.exp, undefined), 'invalid');
    assert.equal(links.check(p.jobId, p.index, undefined, p.sig), 'invalid');
    assert.equal(links.check(p.jobId, p.index, p.exp, `${p.sig}A`), 'invalid');
  });

  it('GIVEN a link for file 0 WHEN asked for file 1 THEN it is invalid', () => {
    const { links } = setup();
    const p = parts(links.outputLink(job, 0)!.url);
    assert.equal(links.check(p.jobId, 1, p.exp, p.sig), 'invalid');
    assert.equal(links.check(p.jobId, -1, p.exp, p.sig), 'invalid');
  });

  it('GIVEN a link past its expiry THEN it is expired, and only then', () => {
    const { links, advance } = setup({ ttlDays: 2 });
    const p = parts(links.outputLink(job, 0)!.url);
    advance(2 * DAY - 1000);
    assert.equal(links.check(p.jobId, p.index, p.exp, p.sig), 'valid');
    advance(1000);
    assert.equal(links.check(p.jobId, p.index, p.exp, p.sig), 'expired');
  });

  it("GIVEN a job kept 3 days THEN its 7-day link ends with the job's retention, and none is made after", () => {
    const { links, advance } = setup({ retentionDays: 3 });
    assert.equal(links.outputLink(job, 0)!.expiresAt, T0 + 3 * DAY);
    advance(3 * DAY);
    assert.equal(links.outputLink(job, 0), undefined);
  });

  it('GIVEN safety decisions THEN links are made for allowed and spoilered files, never blurred or blocked ones', () => {
    const { links } = setup();
    const screened: LinkedJob = {
      ...job,
      safety: (['allow', 'spoiler', 'blur', 'block'] as const).map((action, output) => ({
        output,
        filename: `f${output}.png`,
        action,
        rule: action === 'allow' ? 'none' : 'explicit',
      })),
    };
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((i) => links.outputLink(screened, i) !== undefined),
      [true, true, false, false, true],
    );
  });
});

describe('link secret', () => {
  it('GIVEN no configured secret THEN one is made once in the data directory, owner-only, and kept', () => {
    const dir = mkdtempSync(join(tmpdir(), 'comfyrelay-link-secret-'));
    try {
      const first = linkSecret(dir);
      assert.equal(first.length, 32);
      assert.deepEqual(linkSecret(dir), first);
      assert.equal(statSync(join(dir, 'output-link.secret')).mode & 0o777, 0o600);
      assert.deepEqual(linkSecret(dir, 'x'.repeat(32)), Buffer.from('x'.repeat(32)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('GIVEN a damaged secret file THEN it says so instead of signing with a short key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'comfyrelay-link-secret-'));
    try {
      writeFileSync(join(dir, 'output-link.secret'), 'abcd\n');
      assert.throws(() => linkSecret(dir), /does not hold a key of 32 bytes/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
