import type { ConcurrencyGate, ConcurrencyPermit, LoadSignal } from './adaptive-concurrency.js';
import { computeRetryDelay, parseRetryAfter, type RetryPolicy } from './backoff.js';
import { NgcAbortedError, NgcRequestError } from './errors.js';
import { describeFailure, redact, toSafeCause } from './redact.js';
import type { HttpAnswer, HttpTransport } from './transport.js';

/** Optional sink for retry notices. Messages never contain the API key. */
export interface NgcLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
}

/** Waits `ms`, rejecting early when `signal` aborts. Injectable so tests need not wait. */
export type SleepFn = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Everything a request needs besides its own parameters; built once per client. */
export interface HttpContext {
  transport: HttpTransport;
  timeoutMs: number;
  retry: RetryPolicy;
  sleep: SleepFn;
  now: () => number;
  random: () => number;
  logger: NgcLogger | undefined;
}

/** One logical NGC call, retried as a unit. */
export interface NgcRequest {
  url: URL;
  method: 'GET' | 'POST';
  /** Human label for messages, e.g. `catalog page 3`; must not contain the key. */
  context: string;
  /** Sent as `Authorization: Bearer`; redacted from anything this module produces. */
  key?: string;
  /** Sent as an `application/x-www-form-urlencoded` body. */
  form?: Record<string, string>;
  signal?: AbortSignal;
  /** `json`: a 2xx body must be JSON (else retry). `ignore`: JSON is parsed when possible. */
  body: 'json' | 'ignore';
  /** Where each attempt waits for a slot, and reports how the server coped. Default: none. */
  gate?: ConcurrencyGate;
}

type FinalAnswer =
  { kind: 'ok'; status: number; json: unknown } | { kind: 'status'; status: number };

/** The final answer of a request: a 2xx with its body, or a status retrying cannot change. */
export type NgcResponse = FinalAnswer & { attempts: number };

type AttemptResult =
  | { done: true; response: FinalAnswer }
  | {
      done: false;
      reason: string;
      /** 429, 5xx or a timeout: the server is struggling, not the request. */
      overloaded: boolean;
      retryAfterMs?: number;
      cause?: Error;
    };

/** Resolves after `ms`, or rejects with the signal's reason once it aborts. */
export const defaultSleep: SleepFn = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** 408, 429 and 5xx are worth another try; other statuses are the server's final answer. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Sends a request with a per-attempt timeout and retries network errors, timeouts, 408/429/5xx
 * and truncated or malformed JSON with backoff (honouring `Retry-After`). Throws
 * {@link NgcRequestError} once retries are exhausted and {@link NgcAbortedError} when the
 * caller's signal aborts.
 */
export async function sendNgcRequest(ctx: HttpContext, request: NgcRequest): Promise<NgcResponse> {
  const secrets = request.key === undefined ? [] : [request.key];
  const maxAttempts = ctx.retry.retries + 1;
  for (let attempt = 1; ; attempt += 1) {
    if (request.signal?.aborted) throw new NgcAbortedError(request.context);
    const result = await attemptInSlot(ctx, request, secrets);
    if (result.done) return { ...result.response, attempts: attempt };
    if (attempt >= maxAttempts) {
      throw new NgcRequestError(attempt, result.reason, {
        context: request.context,
        cause: result.cause,
      });
    }
    const delay = computeRetryDelay({
      retry: attempt,
      retryAfterMs: result.retryAfterMs,
      policy: ctx.retry,
      random: ctx.random,
    });
    ctx.logger?.warn(
      `NGC ${request.context}: attempt ${attempt}/${maxAttempts} failed (${result.reason}); ` +
        `retrying in ${delay} ms`,
    );
    try {
      await ctx.sleep(delay, request.signal);
    } catch {
      throw new NgcAbortedError(request.context);
    }
  }
}

/** One attempt, in a slot of the request's gate when it has one. */
async function attemptInSlot(
  ctx: HttpContext,
  request: NgcRequest,
  secrets: readonly string[],
): Promise<AttemptResult> {
  if (!request.gate) return attemptOnce(ctx, request, secrets);
  let permit: ConcurrencyPermit;
  try {
    permit = await request.gate.acquire(request.signal);
  } catch {
    throw new NgcAbortedError(request.context);
  }
  const startedAt = ctx.now();
  let signal: LoadSignal = { kind: 'inconclusive' };
  try {
    const result = await attemptOnce(ctx, request, secrets);
    signal = loadSignalOf(result, ctx.now() - startedAt);
    return result;
  } finally {
    permit.release(signal);
  }
}

function loadSignalOf(result: AttemptResult, latencyMs: number): LoadSignal {
  if (result.done) return { kind: 'answered', latencyMs };
  if (result.overloaded) return { kind: 'overloaded', retryAfterMs: result.retryAfterMs };
  return { kind: 'inconclusive' };
}

async function attemptOnce(
  ctx: HttpContext,
  request: NgcRequest,
  secrets: readonly string[],
): Promise<AttemptResult> {
  // One timeout covers connect, headers and body: a server that stalls mid-body is a hang too.
  const timeout = AbortSignal.timeout(ctx.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (request.key !== undefined) headers.Authorization = `Bearer ${request.key}`;
  let body: string | undefined;
  if (request.form) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(request.form).toString();
  }

  let response: HttpAnswer;
  try {
    // NB: transports never follow redirects: a 3xx with a bearer key is an unexpected status.
    response = await ctx.transport({
      url: request.url,
      method: request.method,
      headers,
      ...(body === undefined ? {} : { body }),
      signal,
    });
  } catch (error) {
    return failure(request, timeout, error, 'network error', secrets, ctx.timeoutMs);
  }

  const { status } = response;
  if (status < 200 || status >= 300) {
    await response.discard();
    if (!isRetryableStatus(status)) return { done: true, response: { kind: 'status', status } };
    const retryAfterMs = parseRetryAfter(response.header('retry-after'), ctx.now());
    return {
      done: false,
      reason: `HTTP ${status}`,
      overloaded: status === 429 || status >= 500,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }

  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    return failure(request, timeout, error, 'truncated response', secrets, ctx.timeoutMs);
  }
  try {
    return { done: true, response: { kind: 'ok', status, json: JSON.parse(text) as unknown } };
  } catch (error) {
    if (request.body === 'ignore') {
      return { done: true, response: { kind: 'ok', status, json: undefined } };
    }
    const detail = error instanceof Error ? error.message : String(error);
    return {
      done: false,
      reason: redact(
        text.length === 0 ? 'empty response body' : `malformed JSON (${detail})`,
        secrets,
      ),
      overloaded: false,
    };
  }
}

function failure(
  request: NgcRequest,
  timeout: AbortSignal,
  error: unknown,
  label: string,
  secrets: readonly string[],
  timeoutMs: number,
): AttemptResult {
  if (request.signal?.aborted) throw new NgcAbortedError(request.context);
  if (timeout.aborted) {
    return { done: false, reason: `timed out after ${timeoutMs} ms`, overloaded: true };
  }
  return {
    done: false,
    reason: `${label}: ${describeFailure(error, secrets)}`,
    overloaded: false,
    cause: toSafeCause(error, secrets),
  };
}
