import { ApiException } from '@kubernetes/client-node';
import { ControlPlaneError } from './errors.js';

/** True when `error` is an API answer with HTTP status `code`. */
export function isApiStatus(error: unknown, code: number): boolean {
  return error instanceof ApiException && error.code === code;
}

/**
 * Polls `check` every `intervalMs` until it returns a value other than undefined, or times out.
 * Errors are retried (the server may not listen yet), except a `ControlPlaneError`, which
 * ends the wait at once (e.g. the process being waited for has exited).
 */
export async function pollUntil<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined>,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof ControlPlaneError) throw error;
      lastError = error;
    }
    if (Date.now() >= deadline) {
      throw new ControlPlaneError(
        'start-timeout',
        `timed out after ${timeoutMs} ms waiting for ${what}`,
        {
          cause: lastError,
        },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
