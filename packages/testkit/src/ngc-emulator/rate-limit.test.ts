import { describe, expect, it } from 'vitest';

import { retryAfterSeconds, TokenBucket } from './rate-limit.js';

describe('TokenBucket', () => {
  it('allows a burst, then the sustained rate', () => {
    const clock = { now: 0 };
    const bucket = new TokenBucket({ requestsPerSecond: 20, burst: 40 }, () => clock.now);
    const burst = Array.from({ length: 41 }, () => bucket.take().allowed);
    expect(burst.filter(Boolean)).toHaveLength(40);
    expect(bucket.take()).toEqual({ allowed: false, retryAfterMs: 50 });
    clock.now += 50;
    expect(bucket.take().allowed).toBe(true);
    expect(bucket.take().allowed).toBe(false);
    clock.now += 1000;
    expect(Array.from({ length: 21 }, () => bucket.take().allowed).filter(Boolean)).toHaveLength(
      20,
    );
  });

  it('never holds more than the burst', () => {
    const clock = { now: 0 };
    const bucket = new TokenBucket({ requestsPerSecond: 100, burst: 3 }, () => clock.now);
    clock.now += 60_000;
    expect(Array.from({ length: 5 }, () => bucket.take().allowed)).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it('refuses a limit that could never allow anything', () => {
    expect(() => new TokenBucket({ requestsPerSecond: 0, burst: 1 })).toThrow(RangeError);
    expect(() => new TokenBucket({ requestsPerSecond: 1, burst: 0 })).toThrow(RangeError);
  });
});

describe('retryAfterSeconds', () => {
  it('rounds up to whole seconds, at least one', () => {
    expect(retryAfterSeconds(50)).toBe(1);
    expect(retryAfterSeconds(1000)).toBe(1);
    expect(retryAfterSeconds(1001)).toBe(2);
  });
});
