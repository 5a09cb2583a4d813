import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { lookup as dnsLookupAsync } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { err, ok, type Result } from '#shared/result.ts';
import { isPrivateAddress } from './address-policy.ts';

export interface OutboundPolicy {
  /** Allow loopback, private and link-local destinations (the operator's own network). */
  allowPrivate: boolean;
  /** Largest response body read, in bytes (default 20 MB). */
  maxBytes?: number;
  /** Whole-request deadline in ms (default 15 s). */
  timeoutMs?: number;
}

export type OutboundProblem =
  | 'url.invalid'
  | 'url.scheme'
  | 'url.private'
  | 'url.unresolvable'
  | 'url.tooLarge'
  | 'url.timeout'
  | 'url.failed';

export interface OutboundResponse {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** Parses and checks the shape of a URL: http(s) only, no credentials, no file paths. */
export function checkUrl(raw: string): Result<URL, OutboundProblem> {
  if (!URL.canParse(raw)) return err('url.invalid');
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return err('url.scheme');
  if (url.username || url.password) return err('url.invalid');
  return ok(url);
}

/**
 * A DNS lookup that refuses private addresses: every address the name resolves to is checked, and the
 * connection uses the checked address, so DNS rebinding cannot slip a private one in afterwards.
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 4);
      const list = addresses ?? [];
      if (list.length === 0) return callback(new Error('url.unresolvable'), '', 4);
      if (!allowPrivate && list.some((a) => isPrivateAddress(a.address))) {
        return callback(Object.assign(new Error('url.private'), { code: 'url.private' }), '', 4);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      const first = list[0]!;
      callback(null, first.address, first.family);
    });
  };
}

/** Checks a URL before it is used: scheme and, for literal IPs, the address (names are checked at connect). */
export function precheckUrl(raw: string, allowPrivate: boolean): Result<URL, OutboundProblem> {
  const url = checkUrl(raw);
  if (!url.ok) return url;
  const host = url.value.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (!allowPrivate && isIP(host) !== 0 && isPrivateAddress(host)) return err('url.private');
  if (!allowPrivate && (host === 'localhost' || host.endsWith('.localhost'))) return err('url.private');
  return url;
}

/** Every address a host name resolves to (injectable for tests). */
export type ResolveAll = (hostname: string) => Promise<readonly string[]>;

const resolveAll: ResolveAll = async (hostname) =>
  (await dnsLookupAsync(hostname, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Checks a URL when it is handed in (a webhook or an image URL at submit), so a refusal is the
 * submitter's answer rather than a line in the server log later: its shape, and every address its host
 * resolves to now. The request itself is checked again at connect time (`guardedLookup`).
 */
export async function checkDestination(
  raw: string,
  allowPrivate: boolean,
  resolve: ResolveAll = resolveAll,
): Promise<Result<URL, OutboundProblem>> {
  const checked = precheckUrl(raw, allowPrivate);
  if (!checked.ok || allowPrivate) return checked;
  const host = checked.value.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) return checked;
  const addresses = await resolve(host).catch(() => [] as readonly string[]);
  if (addresses.length === 0) return err('url.unresolvable');
  return addresses.some((a) => isPrivateAddress(a)) ? err('url.private') : checked;
}

/**
 * One outbound HTTP(S) request under the policy: no redirects followed, size and time limits, private
 * addresses refused (literal or resolved).
 */
export function guardedRequest(
  raw: string,
  policy: OutboundPolicy,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Result<OutboundResponse, OutboundProblem>> {
  const checked = precheckUrl(raw, policy.allowPrivate);
  if (!checked.ok) return Promise.resolve(checked);
  const url = checked.value;
  const maxBytes = policy.maxBytes ?? 20 * 1024 * 1024;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: Result<OutboundResponse, OutboundProblem>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(r);
    };
    const req = send(
      url,
      { method: init.method ?? 'GET', headers: init.headers, lookup: guardedLookup(policy.allowPrivate) },
      (res) => {
        const declared = Number(res.headers['content-length'] ?? 0);
        if (declared > maxBytes) {
          req.destroy();
          return finish(err('url.tooLarge'));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) {
            req.destroy();
            finish(err('url.tooLarge'));
          } else chunks.push(c);
        });
        res.on('end', () =>
          finish(ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) })),
        );
        res.on('error', () => finish(err('url.failed')));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      finish(err('url.timeout'));
    }, policy.timeoutMs ?? 15_000);
    req.on('error', (e: NodeJS.ErrnoException) =>
      finish(err(e.code === 'url.private' || e.message === 'url.private' ? 'url.private' : 'url.failed')),
    );
    req.end(init.body);
  });
}
