import { setImmediate as nextTurn } from 'node:timers/promises';

import { describe, expect, it } from 'vitest';

import {
  AdaptiveConcurrency,
  type AdaptiveConcurrencyOptions,
  type ConcurrencyPermit,
  type LoadSignal,
} from './adaptive-concurrency.js';

const ROUND_TRIP_MS = 100;
const ANSWERED: LoadSignal = { kind: 'answered', latencyMs: ROUND_TRIP_MS };

/** A gate on a fake clock whose sleeps move the clock, with `demand` acquires queued. */
function mockGate(overrides: Partial<AdaptiveConcurrencyOptions> = {}, demand = 1000) {
  const clock = { now: 0 };
  const sleeps: number[] = [];
  const gate = new AdaptiveConcurrency({
    max: 64,
    initial: 4,
    now: () => clock.now,
    sleep: (ms) => {
      sleeps.push(ms);
      clock.now += ms;
      return Promise.resolve();
    },
    ...overrides,
  });
  const granted: ConcurrencyPermit[] = [];
  for (let index = 0; index < demand; index += 1) {
    void gate.acquire().then((permit) => granted.push(permit));
  }
  /** Lets the gate hand out what it can, then answers every permit granted so far. */
  async function roundTrip(signal: LoadSignal = ANSWERED): Promise<number> {
    await settle();
    const inFlight = granted.splice(0);
    clock.now += ROUND_TRIP_MS;
    for (const permit of inFlight) permit.release(signal);
    return inFlight.length;
  }
  return { gate, clock, sleeps, granted, roundTrip, settle };
}

async function settle(): Promise<void> {
  for (let turn = 0; turn < 20; turn += 1) await nextTurn();
}

describe('AdaptiveConcurrency', () => {
  it('starts at the initial width, capped by the maximum', () => {
    expect(new AdaptiveConcurrency({ max: 64, initial: 16 }).width).toBe(16);
    expect(new AdaptiveConcurrency({ max: 3, initial: 16 }).width).toBe(3);
    expect(new AdaptiveConcurrency({ max: 64 }).width).toBe(16);
    expect(() => new AdaptiveConcurrency({ max: 0 })).toThrow(RangeError);
  });

  it('doubles every round trip of clean answers, up to the maximum', async () => {
    const { gate, roundTrip } = mockGate();
    const sent = [];
    for (let round = 0; round < 6; round += 1) sent.push(await roundTrip());
    expect(sent).toEqual([4, 8, 16, 32, 64, 64]);
    expect(gate.stats()).toMatchObject({ width: 64, peakWidth: 64, maxWidth: 64 });
  });

  it('does not widen while the window is not full', async () => {
    const { gate, roundTrip } = mockGate({ initial: 8 }, 5);
    expect(await roundTrip()).toBe(5);
    expect(gate.width).toBe(8);
  });

  it('does not widen on slow answers', async () => {
    const { gate, roundTrip } = mockGate({ initial: 4 });
    await roundTrip();
    expect(gate.width).toBe(8);
    await roundTrip({ kind: 'answered', latencyMs: ROUND_TRIP_MS * 3 });
    expect(gate.width).toBe(8);
  });

  it('halves once per round trip on overload, then grows by one per round trip', async () => {
    const { gate, roundTrip } = mockGate({ initial: 16 });
    // The whole window of 16 is throttled: one decrease, not sixteen.
    await roundTrip({ kind: 'overloaded' });
    expect(gate.stats()).toMatchObject({ width: 8, overloaded: 16 });
    await roundTrip({ kind: 'overloaded' });
    expect(gate.width).toBe(4);
    await roundTrip();
    expect(gate.width).toBe(5);
    await roundTrip();
    expect(gate.width).toBe(6);
  });

  it('never goes below one', async () => {
    const { gate, roundTrip } = mockGate({ initial: 2 });
    for (let round = 0; round < 4; round += 1) await roundTrip({ kind: 'overloaded' });
    expect(gate.width).toBe(1);
  });

  it('sends nothing until a Retry-After has passed', async () => {
    const { gate, clock, sleeps, granted, settle: flush } = mockGate({ initial: 2 });
    await flush();
    const [first, second] = granted.splice(0);
    first?.release({ kind: 'overloaded', retryAfterMs: 2000 });
    const pausedAt = clock.now;
    second?.release(ANSWERED);
    await flush();
    expect(sleeps).toContain(2000);
    expect(granted).toHaveLength(1);
    expect(clock.now - pausedAt).toBeGreaterThanOrEqual(2000);
    expect(gate.width).toBe(1);
  });

  it('keeps a Retry-After pause that begins while a pacing wait runs', async () => {
    const clock = { now: 0 };
    const wakes: { ms: number; wake: () => void }[] = [];
    const gate = new AdaptiveConcurrency({
      max: 64,
      initial: 2,
      now: () => clock.now,
      sleep: (ms) => new Promise<void>((wake) => wakes.push({ ms, wake })),
    });
    const granted: ConcurrencyPermit[] = [];
    for (let index = 0; index < 20; index += 1) {
      void gate.acquire().then((permit) => granted.push(permit));
    }
    await settle();
    clock.now = ROUND_TRIP_MS;
    for (const permit of granted.splice(0)) permit.release(ANSWERED);
    await settle();
    // Paced now: one more went out, and a short wait runs before the next.
    expect(granted).toHaveLength(1);
    expect(wakes).toHaveLength(1);
    granted.splice(0)[0]?.release({ kind: 'overloaded', retryAfterMs: 1000 });
    clock.now += 20;
    wakes.shift()?.wake();
    await settle();
    expect(granted).toHaveLength(0);
    expect(wakes[0]?.ms).toBeGreaterThan(900);
  });

  it('caps a Retry-After pause', async () => {
    const { sleeps, granted, settle: flush } = mockGate({ initial: 1, maxPauseMs: 50 });
    await flush();
    granted.splice(0)[0]?.release({ kind: 'overloaded', retryAfterMs: 86_400_000 });
    await flush();
    expect(sleeps).toEqual([50]);
  });

  it('paces a window over the fastest round trip', async () => {
    const { clock, granted, roundTrip, settle: flush } = mockGate({ initial: 10 });
    await roundTrip();
    const start = clock.now;
    await flush();
    // 20 allowed at a pace of 20 per 100 ms: the last leaves about 95 ms after the first.
    expect(granted).toHaveLength(20);
    expect(clock.now - start).toBeGreaterThanOrEqual(80);
    expect(clock.now - start).toBeLessThanOrEqual(ROUND_TRIP_MS + 5);
  });

  it('ignores inconclusive attempts', async () => {
    const { gate, roundTrip } = mockGate({ initial: 4 });
    await roundTrip({ kind: 'inconclusive' });
    expect(gate.stats()).toMatchObject({ width: 4, overloaded: 0 });
  });

  it('rejects a waiting acquire when its signal aborts', async () => {
    const gate = new AdaptiveConcurrency({ max: 1, initial: 1 });
    const held = await gate.acquire();
    const controller = new AbortController();
    const waiting = gate.acquire(controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    held.release(ANSWERED);
    await expect(gate.acquire(AbortSignal.abort(new Error('late')))).rejects.toThrow('late');
  });
});
