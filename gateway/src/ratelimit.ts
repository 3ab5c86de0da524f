// Per-user request rate limits: a token bucket per user, `perSecond` tokens a second up to
// `burst`, kept in an edge-lru LRUCache bounded by a user count. A bucket idle long enough to
// be full again expires (the cache's TTL), and one evicted by a flood of users starts full:
// either way it is what a missing bucket means.

import { LRUCache } from 'edge-lru/permissions';

interface Bucket {
  tokens: number;
  at: number;
}

export interface RateLimitOptions {
  /** Requests a second, per user (> 0). */
  perSecond: number;
  /** The most requests at once after an idle time (default twice perSecond, at least 1). */
  burst?: number;
  /** Users whose buckets are kept (default 10,000). */
  maxUsers?: number;
  now?: () => number;
}

export class RateLimiter {
  readonly perSecond: number;
  readonly burst: number;
  readonly #buckets: LRUCache<string, Bucket>;
  readonly #now: () => number;

  constructor(options: RateLimitOptions) {
    if (!(options.perSecond > 0)) {
      throw Object.assign(new RangeError('perSecond must be > 0'), { code: 'ERR_GATEWAY_OPTION' });
    }
    this.perSecond = options.perSecond;
    this.burst = options.burst ?? Math.max(1, 2 * options.perSecond);
    if (!(this.burst >= 1)) {
      throw Object.assign(new RangeError('burst must be >= 1'), { code: 'ERR_GATEWAY_OPTION' });
    }
    this.#now = options.now ?? (() => performance.now());
    this.#buckets = new LRUCache<string, Bucket>({
      max: options.maxUsers ?? 10_000,
      ttl: Math.ceil((this.burst / this.perSecond) * 1000),
      now: this.#now,
    });
  }

  /** Takes a token for `user`: 0 when the request may go on, else the whole seconds to wait. */
  take(user: string): number {
    const now = this.#now();
    const bucket = this.#buckets.get(user);
    if (bucket === undefined) {
      this.#buckets.set(user, { tokens: this.burst - 1, at: now });
      return 0;
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      // Re-set so that the TTL counts from this request.
      this.#buckets.set(user, bucket);
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond));
  }

  free(): void {
    this.#buckets.free();
  }
}
