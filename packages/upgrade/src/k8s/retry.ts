/** How often and how long to retry. */
export interface RetryPolicy {
  /** Tries in all, the first included. Default 5. */
  attempts?: number;
  /** Delay before the second try, doubled each time. Default 200 ms. */
  baseDelayMs?: number;
  /** Waits between tries; injected by tests. Default a timer. */
  sleep?: (ms: number) => Promise<void>;
}

/** Options of {@link withRetry}. */
export interface WithRetryOptions extends RetryPolicy {
  /** Whether a failure is worth another try. */
  retryOn: (error: unknown) => boolean;
  /** Called before each retry, e.g. to log it. */
  onRetry?: (error: unknown, attempt: number) => void;
}

const defaultSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` until it succeeds, a failure is not worth retrying, or the attempts are used up; the
 * last failure is thrown. `fn` gets the 1-based attempt number, so a read-modify-write can re-read.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: WithRetryOptions,
): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 5);
  const baseDelayMs = options.baseDelayMs ?? 200;
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= attempts || !options.retryOn(error)) throw error;
      options.onRetry?.(error, attempt);
      await sleep(baseDelayMs * 2 ** (attempt - 1));
    }
  }
}
