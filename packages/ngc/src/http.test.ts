import { inspect } from 'node:util';

import { describe, expect, it } from 'vitest';

import { DEFAULT_RETRY_POLICY } from './backoff.js';
import { NgcAbortedError, NgcRequestError } from './errors.js';
import { isRetryableStatus, sendNgcRequest, type HttpContext } from './http.js';
import { fetchTransport } from './transport.js';

const SECRET = 'nvapi-http-test-secret';

function mockContext(overrides: Partial<HttpContext> & { fetch?: typeof fetch } = {}): HttpContext {
  const { fetch: fetchImpl, ...rest } = overrides;
  return {
    transport: fetchTransport(fetchImpl ?? (() => Promise.reject(new TypeError('fetch failed')))),
    timeoutMs: 1000,
    retry: { ...DEFAULT_RETRY_POLICY, retries: 2, baseDelayMs: 1 },
    sleep: () => Promise.resolve(),
    now: () => 0,
    random: () => 0.5,
    logger: undefined,
    ...rest,
  };
}

const request = {
  url: new URL('http://127.0.0.1:9/x'),
  method: 'GET' as const,
  context: 'test call',
  key: SECRET,
  body: 'json' as const,
};

describe('isRetryableStatus', () => {
  it('retries 408, 429 and 5xx only', () => {
    expect([408, 429, 500, 503, 599].every(isRetryableStatus)).toBe(true);
    expect([200, 400, 401, 403, 404, 451].some(isRetryableStatus)).toBe(false);
  });
});

describe('sendNgcRequest', () => {
  it('throws NgcRequestError with a key-free cause chain after the last attempt', async () => {
    const fetchWithLeak: typeof fetch = () =>
      Promise.reject(
        new TypeError('fetch failed', {
          cause: Object.assign(new Error(`bad header ${SECRET}`), { headers: { a: SECRET } }),
        }),
      );
    const error = await sendNgcRequest(mockContext({ fetch: fetchWithLeak }), request).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(NgcRequestError);
    expect(error).toMatchObject({ attempts: 3 });
    const text = inspect(error, { depth: null, showHidden: true }) + JSON.stringify(error);
    expect(text).toContain('[REDACTED]');
    expect(text).not.toContain(SECRET);
  });

  it('answers non-retryable statuses without retrying', async () => {
    let calls = 0;
    const fetch401: typeof fetch = () => {
      calls += 1;
      return Promise.resolve(new Response('{}', { status: 401 }));
    };
    expect(await sendNgcRequest(mockContext({ fetch: fetch401 }), request)).toEqual({
      kind: 'status',
      status: 401,
      attempts: 1,
    });
    expect(calls).toBe(1);
  });

  it('treats an empty 2xx body as retryable unless the body is ignored', async () => {
    const empty: typeof fetch = () => Promise.resolve(new Response('', { status: 200 }));
    await expect(sendNgcRequest(mockContext({ fetch: empty }), request)).rejects.toThrow(
      /empty response body/,
    );
    expect(
      await sendNgcRequest(mockContext({ fetch: empty }), { ...request, body: 'ignore' }),
    ).toEqual({ kind: 'ok', status: 200, json: undefined, attempts: 1 });
  });

  it('stops when the caller aborts during a backoff wait', async () => {
    const controller = new AbortController();
    const ctx = mockContext({
      fetch: () => Promise.resolve(new Response('', { status: 503 })),
      sleep: (_ms, signal) => {
        controller.abort();
        return Promise.reject(signal?.reason);
      },
    });
    await expect(
      sendNgcRequest(ctx, { ...request, signal: controller.signal }),
    ).rejects.toBeInstanceOf(NgcAbortedError);
  });
});
