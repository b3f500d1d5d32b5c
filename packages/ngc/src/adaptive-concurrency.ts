import type { SleepFn } from './http.js';

/** What one attempt says about the server's load. */
export type LoadSignal =
  /** The server answered with anything but 429 or 5xx; `latencyMs` from send to full answer. */
  | { kind: 'answered'; latencyMs: number }
  /** 429, 5xx or a timeout. `retryAfterMs` when the server said how long to wait. */
  | { kind: 'overloaded'; retryAfterMs?: number | undefined }
  /** A network error or an unusable body: says nothing about load. */
  | { kind: 'inconclusive' };

/** A slot to send one attempt in; release it exactly once, with what the attempt saw. */
export interface ConcurrencyPermit {
  release(signal: LoadSignal): void;
}

/** Hands out permits; {@link AdaptiveConcurrency} is the one implementation. */
export interface ConcurrencyGate {
  /** Resolves once an attempt may be sent; rejects with the signal's reason when it aborts. */
  acquire(signal?: AbortSignal): Promise<ConcurrencyPermit>;
}

/** A snapshot of an {@link AdaptiveConcurrency}, for progress and summaries. */
export interface ConcurrencyStats {
  /** Attempts allowed in flight now. */
  width: number;
  /** The widest it has been. */
  peakWidth: number;
  /** The cap it never exceeds. */
  maxWidth: number;
  /** Attempts answered 429, 5xx or timed out. */
  overloaded: number;
}

/** Options of {@link AdaptiveConcurrency}. */
export interface AdaptiveConcurrencyOptions {
  /** The cap (`--concurrency`). */
  max: number;
  /** Width at the start, capped by `max`. Default 16. */
  initial?: number;
  /** Multiplicative decrease on overload. Default 0.5. */
  decreaseFactor?: number;
  /** An answer slower than this multiple of the fastest one seen does not widen. Default 2. */
  slowFactor?: number;
  /** Longest pause a `Retry-After` causes. Default 60 000 ms. */
  maxPauseMs?: number;
  /** Clock in ms. Default `performance.now`. */
  now?: () => number;
  /** Waits for pacing and pauses. Default `setTimeout`. */
  sleep?: SleepFn;
}

/** Defaults of {@link AdaptiveConcurrencyOptions}. */
export const ADAPTIVE_CONCURRENCY_DEFAULTS = Object.freeze({
  // The fixed width this client used before it adapted, so a start no wider than what NGC saw.
  initial: 16,
  decreaseFactor: 0.5,
  slowFactor: 2,
  maxPauseMs: 60_000,
});

// Sends are spread so a window leaves over the fastest round trip, not in one burst: a limit
// that answers 429 at once then stops the run after a request or two. Measured in the bench:
// half the 429s of a window paced over half a round trip, and no slower without a limit.
const PACING_GAIN = 1;
// Timers fire about once a millisecond at best; this much credit lets a fast pace keep up.
const PACING_SLACK_MS = 2;

interface Waiter {
  resolve: (permit: ConcurrencyPermit) => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/**
 * AIMD concurrency, the way TCP and well-behaved crawlers share a server: start at a safe width,
 * double it every round trip of clean, fast answers (slow start), then add one per round trip
 * once the server has pushed back; halve it on 429, 5xx or a timeout (once per round trip), and
 * send nothing until a `Retry-After` has passed. Never wider than `max`, never below 1, and it
 * grows only while the window is full, so the width shown is the width used.
 */
export class AdaptiveConcurrency implements ConcurrencyGate {
  readonly #max: number;
  readonly #decreaseFactor: number;
  readonly #slowFactor: number;
  readonly #maxPauseMs: number;
  readonly #now: () => number;
  readonly #sleep: SleepFn;
  #limit: number;
  /** Slow start below this, one per round trip above it (TCP's ssthresh). */
  #threshold: number;
  #peak: number;
  #inFlight = 0;
  #overloaded = 0;
  #fastestMs = Infinity;
  #lastDecreaseAt = -Infinity;
  #pausedUntil = -Infinity;
  #paceCredit = 1;
  #paceUpdatedAt: number;
  #wakeScheduled = false;
  readonly #waiters: Waiter[] = [];

  constructor(options: AdaptiveConcurrencyOptions) {
    const settings = { ...ADAPTIVE_CONCURRENCY_DEFAULTS, ...options };
    if (!Number.isInteger(settings.max) || settings.max < 1) {
      throw new RangeError(`concurrency cap must be an integer >= 1, got ${settings.max}`);
    }
    this.#max = settings.max;
    this.#limit = Math.max(1, Math.min(settings.max, Math.floor(settings.initial)));
    this.#threshold = settings.max;
    this.#peak = this.width;
    this.#decreaseFactor = settings.decreaseFactor;
    this.#slowFactor = settings.slowFactor;
    this.#maxPauseMs = settings.maxPauseMs;
    this.#now = options.now ?? (() => performance.now());
    this.#sleep = options.sleep ?? defaultTimerSleep;
    this.#paceUpdatedAt = this.#now();
  }

  /** Attempts allowed in flight now. */
  get width(): number {
    // The epsilon keeps n additions of 1/n from landing just under the next integer.
    return Math.max(1, Math.floor(this.#limit + 1e-9));
  }

  stats(): ConcurrencyStats {
    return {
      width: this.width,
      peakWidth: this.#peak,
      maxWidth: this.#max,
      overloaded: this.#overloaded,
    };
  }

  acquire(signal?: AbortSignal): Promise<ConcurrencyPermit> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<ConcurrencyPermit>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = this.#waiters.indexOf(waiter);
          if (index >= 0) this.#waiters.splice(index, 1);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.#waiters.push(waiter);
      this.#dispatch();
    });
  }

  #dispatch(): void {
    while (this.#waiters.length > 0 && this.#inFlight < this.width) {
      const wait = this.#waitBeforeNextSend();
      if (wait > 0) {
        this.#scheduleWake(wait);
        return;
      }
      const waiter = this.#waiters.shift();
      if (!waiter) return;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      this.#inFlight += 1;
      this.#paceCredit -= 1;
      waiter.resolve(this.#permit(this.#now()));
    }
  }

  /** Milliseconds until a send is allowed: a `Retry-After` pause, then the pace. */
  #waitBeforeNextSend(): number {
    const now = this.#now();
    if (now < this.#pausedUntil) return this.#pausedUntil - now;
    if (!Number.isFinite(this.#fastestMs)) {
      // No round trip measured yet: the first window goes out at once.
      this.#paceCredit = 1;
      this.#paceUpdatedAt = now;
      return 0;
    }
    const ratePerMs = (PACING_GAIN * this.width) / Math.max(this.#fastestMs, 1);
    const ceiling = Math.max(1, ratePerMs * PACING_SLACK_MS);
    this.#paceCredit = Math.min(
      ceiling,
      this.#paceCredit + (now - this.#paceUpdatedAt) * ratePerMs,
    );
    this.#paceUpdatedAt = now;
    return this.#paceCredit >= 1 ? 0 : (1 - this.#paceCredit) / ratePerMs;
  }

  #scheduleWake(ms: number): void {
    if (this.#wakeScheduled) return;
    this.#wakeScheduled = true;
    const until = this.#now() + ms;
    void this.#sleep(ms).then(() => {
      this.#wakeScheduled = false;
      // The wait is served even if the clock disagrees (an injected sleep may not wait at all),
      // but a pause that began while it ran is not: dispatch then schedules the rest of it.
      if (this.#pausedUntil <= until) {
        this.#pausedUntil = -Infinity;
        this.#paceCredit = Math.max(this.#paceCredit, 1);
        this.#paceUpdatedAt = this.#now();
      }
      this.#dispatch();
    });
  }

  #permit(startedAt: number): ConcurrencyPermit {
    let released = false;
    return {
      release: (signal) => {
        if (released) return;
        released = true;
        const windowWasFull = this.#inFlight >= this.width || this.#waiters.length > 0;
        this.#inFlight -= 1;
        this.#learn(signal, startedAt, windowWasFull);
        this.#dispatch();
      },
    };
  }

  #learn(signal: LoadSignal, startedAt: number, windowWasFull: boolean): void {
    const now = this.#now();
    if (signal.kind === 'overloaded') {
      this.#overloaded += 1;
      if (signal.retryAfterMs !== undefined) {
        const pause = Math.min(signal.retryAfterMs, this.#maxPauseMs);
        this.#pausedUntil = Math.max(this.#pausedUntil, now + pause);
      }
      // Attempts sent before the last decrease saw the old width: one decrease per round trip.
      if (startedAt >= this.#lastDecreaseAt) {
        this.#limit = Math.max(1, this.#limit * this.#decreaseFactor);
        this.#threshold = this.#limit;
        this.#lastDecreaseAt = now;
      }
      return;
    }
    if (signal.kind !== 'answered') return;
    this.#fastestMs = Math.min(this.#fastestMs, signal.latencyMs);
    const fast = signal.latencyMs <= this.#slowFactor * this.#fastestMs;
    if (!fast || !windowWasFull || now < this.#pausedUntil) return;
    this.#limit += this.#limit < this.#threshold ? 1 : 1 / this.width;
    this.#limit = Math.min(this.#limit, this.#max);
    this.#peak = Math.max(this.#peak, this.width);
  }
}

function defaultTimerSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
