import { describe, expect, it } from 'vitest';

import {
  computeBackoffDelay,
  computeRetryDelay,
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
} from './backoff.js';

const policy = {
  ...DEFAULT_RETRY_POLICY,
  baseDelayMs: 100,
  maxDelayMs: 1000,
  maxRetryAfterMs: 5000,
};

describe('computeBackoffDelay', () => {
  it('doubles the ceiling on each retry', () => {
    const almostOne = () => 0.999999;
    expect([1, 2, 3, 4].map((retry) => computeBackoffDelay(retry, policy, almostOne))).toEqual([
      99, 199, 399, 799,
    ]);
  });

  it('applies full jitter from zero', () => {
    expect(computeBackoffDelay(3, policy, () => 0)).toBe(0);
    expect(computeBackoffDelay(3, policy, () => 0.5)).toBe(200);
  });

  it('caps the ceiling at maxDelayMs, even for huge retry counts', () => {
    expect(computeBackoffDelay(5, policy, () => 0.999999)).toBe(999);
    expect(computeBackoffDelay(5000, policy, () => 0.5)).toBe(500);
  });

  it('stays within bounds for random jitter', () => {
    for (let i = 0; i < 200; i += 1) {
      const delay = computeBackoffDelay(2, policy);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(200);
    }
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-11-06T12:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 7 ', now)).toBe(7000);
  });

  it('reads an HTTP-date relative to now', () => {
    expect(parseRetryAfter('Thu, 06 Nov 2025 12:00:30 GMT', now)).toBe(30_000);
  });

  it('never returns a negative wait for a date in the past', () => {
    expect(parseRetryAfter('Thu, 06 Nov 2025 11:59:00 GMT', now)).toBe(0);
  });

  it('ignores absent and unreadable values', () => {
    for (const value of [null, undefined, '', '  ', '-1', '1.5', 'soon', 'Mon, 99 Foo 2025']) {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    }
  });
});

describe('computeRetryDelay', () => {
  it('prefers the server Retry-After', () => {
    expect(computeRetryDelay({ retry: 1, retryAfterMs: 2000, policy, random: () => 0.9 })).toBe(
      2000,
    );
  });

  it('caps Retry-After at maxRetryAfterMs', () => {
    expect(computeRetryDelay({ retry: 1, retryAfterMs: 3_600_000, policy })).toBe(5000);
  });

  it('falls back to jittered backoff', () => {
    expect(
      computeRetryDelay({ retry: 2, retryAfterMs: undefined, policy, random: () => 0.5 }),
    ).toBe(100);
  });
});
