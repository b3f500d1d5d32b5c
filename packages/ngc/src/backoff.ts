/** How a request is retried. All delays in milliseconds. */
export interface RetryPolicy {
  /** Retries after the first attempt; `0` disables retrying. Default 4. */
  retries: number;
  /** First backoff ceiling; doubles on each retry. Default 500. */
  baseDelayMs: number;
  /** Upper bound of a computed backoff. Default 30 000. */
  maxDelayMs: number;
  /** Upper bound of a server-requested `Retry-After` wait. Default 60 000. */
  maxRetryAfterMs: number;
}

/** The policy used when an option is not given. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  retries: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
});

/**
 * Exponential backoff with full jitter ("Exponential Backoff and Jitter", AWS Architecture Blog):
 * a uniform delay in `[0, min(maxDelayMs, baseDelayMs * 2^(retry-1)))`. Full jitter spreads
 * concurrent clients apart, which matters when NGC throttles a burst of per-model calls.
 *
 * @param retry 1 for the first retry, 2 for the second, …
 * @param random a source in `[0, 1)`, injectable for tests
 */
export function computeBackoffDelay(
  retry: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, retry - 1);
  // 2^exponent overflows to Infinity for large retries; Math.min keeps the ceiling finite.
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  return Math.floor(random() * ceiling);
}

/**
 * Parses an HTTP `Retry-After` value (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
 * Returns the wait in milliseconds (never negative), or `undefined` when absent or unreadable.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  nowMs: number,
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed.length === 0) return undefined;
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Only accept things that look like an HTTP-date; Date.parse is lenient about "5" or "1.5".
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * The wait before retry number `retry`: the server's `Retry-After` when given (capped at
 * `maxRetryAfterMs`), otherwise the jittered exponential backoff.
 */
export function computeRetryDelay(options: {
  retry: number;
  retryAfterMs: number | undefined;
  policy: RetryPolicy;
  random?: () => number;
}): number {
  const { retry, retryAfterMs, policy } = options;
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  return computeBackoffDelay(retry, policy, options.random);
}
