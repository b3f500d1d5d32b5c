/** A request rate limit: `requestsPerSecond` sustained, `burst` at once after a quiet spell. */
export interface RateLimit {
  requestsPerSecond: number;
  burst: number;
}

/** What the bucket says about one request. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * A token bucket, the usual shape of an API gateway's limit: it holds up to `burst` tokens,
 * refills `requestsPerSecond` of them each second, and each request takes one or is refused.
 */
export class TokenBucket {
  readonly #limit: RateLimit;
  readonly #now: () => number;
  #tokens: number;
  #updatedAt: number;

  constructor(limit: RateLimit, now: () => number = () => performance.now()) {
    if (!(limit.requestsPerSecond > 0) || !(limit.burst >= 1)) {
      throw new RangeError(
        `a rate limit needs requestsPerSecond > 0 and burst >= 1, got ${JSON.stringify(limit)}`,
      );
    }
    this.#limit = limit;
    this.#now = now;
    this.#tokens = limit.burst;
    this.#updatedAt = now();
  }

  /** Takes a token, or says how long until one is there. */
  take(): RateDecision {
    const now = this.#now();
    const perMs = this.#limit.requestsPerSecond / 1000;
    this.#tokens = Math.min(this.#limit.burst, this.#tokens + (now - this.#updatedAt) * perMs);
    this.#updatedAt = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterMs: (1 - this.#tokens) / perMs };
  }
}

/** `Retry-After` in whole seconds (RFC 9110 allows no fraction), never 0. */
export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1000));
}
