import { describe, expect, it } from 'vitest';

import { apiError } from './fake-resource-client.js';
import {
  describeApiError,
  isAlreadyExists,
  isConflict,
  isNotFound,
  isTransient,
} from './api-errors.js';
import { withRetry } from './retry.js';

describe('withRetry', () => {
  it('retries what retryOn accepts, with doubling delays, and returns the result', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async (attempt) => {
        calls++;
        if (attempt < 3) throw apiError(409, 'Conflict');
        return 'done';
      },
      { retryOn: isConflict, baseDelayMs: 10, sleep: async (ms) => void delays.push(ms) },
    );
    expect(result).toBe('done');
    expect(calls).toBe(3);
    expect(delays).toEqual([10, 20]);
  });

  it('throws at once what retryOn rejects, and the last failure when attempts run out', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw apiError(403, 'Forbidden');
        },
        { retryOn: isTransient, sleep: async () => undefined },
      ),
    ).rejects.toMatchObject({ code: 403 });
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw apiError(503, 'ServiceUnavailable');
        },
        { retryOn: isTransient, attempts: 3, sleep: async () => undefined },
      ),
    ).rejects.toMatchObject({ code: 503 });
    expect(calls).toBe(3);
  });
});

describe('api errors', () => {
  it('tells conflicts, AlreadyExists, NotFound and transient failures apart', () => {
    expect(isConflict(apiError(409, 'Conflict'))).toBe(true);
    expect(isConflict(apiError(409, 'AlreadyExists'))).toBe(false);
    expect(isAlreadyExists(apiError(409, 'AlreadyExists'))).toBe(true);
    expect(isNotFound(apiError(404, 'NotFound'))).toBe(true);
    expect(isTransient(apiError(429, 'TooManyRequests'))).toBe(true);
    expect(isTransient(apiError(500, 'InternalError'))).toBe(true);
    expect(isTransient(apiError(422, 'Invalid'))).toBe(false);
    expect(isTransient(new Error('connect ECONNREFUSED 127.0.0.1:6443'))).toBe(true);
  });

  it('describes an API failure by code, reason and message', () => {
    expect(describeApiError(apiError(403, 'Forbidden', 'secrets "x" is forbidden'))).toBe(
      'HTTP 403 Forbidden: secrets "x" is forbidden',
    );
    expect(describeApiError(new Error('socket hang up'))).toBe('socket hang up');
  });
});
