/**
 * Rate-limit headers on every answer, and 429 injection with Discord's real
 * headers and body (rate-limits.mdx). Buckets and windows use real time,
 * because @discordjs/rest sleeps in real time.
 */
import { createHash } from 'node:crypto';

export interface Inject429Options {
  /** Tested against the decoded path after /api/v10, e.g. `/\/channels\/\d+\/messages\/\d+$/`. Default: every route. */
  route?: RegExp;
  /** Only this HTTP method (e.g. 'PATCH'). */
  method?: string;
  /** How many matching requests get a 429. */
  times: number;
  retryAfterSec: number;
  global?: boolean;
  /** `X-RateLimit-Scope`; defaults to `global` when `global`, else `user`. */
  scope?: 'user' | 'global' | 'shared';
}

export interface RateLimitHit {
  method: string;
  path: string;
  at: number;
  retryAfterSec: number;
  global: boolean;
}

interface Rule extends Inject429Options {
  remaining: number;
  blockedUntil: number;
}

export interface BucketConfig {
  limit: number;
  windowMs: number;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const hashes = new Map<string, string>();
/** A bucket's opaque id, as Discord's `X-RateLimit-Bucket`: computed once per bucket, not per request. */
function bucketHash(key: string): string {
  let hash = hashes.get(key);
  if (hash === undefined) {
    hash = createHash('sha1').update(key).digest('hex').slice(0, 16);
    hashes.set(key, hash);
  }
  return hash;
}

export class RateLimits {
  private readonly rules: Rule[] = [];
  private readonly windows = new Map<string, { start: number; count: number }>();
  readonly hits: RateLimitHit[] = [];
  private readonly config: BucketConfig;

  constructor(config: BucketConfig) {
    this.config = config;
  }

  inject(opts: Inject429Options): void {
    this.rules.push({ ...opts, remaining: opts.times, blockedUntil: 0 });
  }

  /**
   * Returns a 429 answer when an injected rule matches, and reports whether the
   * request came before an earlier 429's Retry-After had elapsed.
   */
  check(method: string, path: string, bucket: string): { answer?: Answer; tooEarly: boolean } {
    const now = Date.now();
    let tooEarly = false;
    for (const rule of this.rules) {
      if (rule.method !== undefined && rule.method.toUpperCase() !== method) continue;
      if (rule.route !== undefined && !rule.route.test(path)) continue;
      if (now < rule.blockedUntil) tooEarly = true;
      if (rule.remaining <= 0) continue;
      rule.remaining--;
      rule.blockedUntil = now + rule.retryAfterSec * 1000;
      const global = rule.global ?? false;
      const scope = rule.scope ?? (global ? 'global' : 'user');
      this.hits.push({ method, path, at: now, retryAfterSec: rule.retryAfterSec, global });
      const headers: Record<string, string> = {
        'retry-after': String(Math.ceil(rule.retryAfterSec)),
        'x-ratelimit-scope': scope,
      };
      if (global) headers['x-ratelimit-global'] = 'true';
      else
        Object.assign(headers, {
          'x-ratelimit-limit': String(this.config.limit),
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': ((now + rule.retryAfterSec * 1000) / 1000).toFixed(3),
          'x-ratelimit-reset-after': rule.retryAfterSec.toFixed(3),
          'x-ratelimit-bucket': bucketHash(bucket),
        });
      const body = { message: 'You are being rate limited.', retry_after: rule.retryAfterSec, global };
      return { answer: { status: 429, headers, body }, tooEarly };
    }
    return { tooEarly };
  }

  /** Normal `X-RateLimit-*` headers for a served request (counted per bucket and window). */
  headers(bucket: string): Record<string, string> {
    const now = Date.now();
    let w = this.windows.get(bucket);
    if (w === undefined || now - w.start >= this.config.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(bucket, w);
    }
    w.count++;
    const resetAt = w.start + this.config.windowMs;
    return {
      'x-ratelimit-limit': String(this.config.limit),
      'x-ratelimit-remaining': String(Math.max(0, this.config.limit - w.count)),
      'x-ratelimit-reset': (resetAt / 1000).toFixed(3),
      'x-ratelimit-reset-after': ((resetAt - now) / 1000).toFixed(3),
      'x-ratelimit-bucket': bucketHash(bucket),
    };
  }
}
