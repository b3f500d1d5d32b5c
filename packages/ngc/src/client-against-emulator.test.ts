import { inspect } from 'node:util';

import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { ModelEntry } from '@odh-nim/contract';
import {
  EMULATOR_VALID_KEY,
  loadReferenceCatalog,
  loadReferenceEuRestricted,
  startNgcEmulator,
  type NgcEmulator,
} from '@odh-nim/testkit';

import { createNgcClient, type NgcClientOptions, type NgcProgress } from './client.js';
import { NgcNonPersonalKeyError, NgcRequestError, NgcUnauthorizedError } from './errors.js';
import { defaultSleep } from './http.js';

const LLAMA = 'nim/meta/llama-3.1-8b-instruct';
const RETRIES = 3;

let catalog: ModelEntry[];
let euRestricted: string[];
let emulator: NgcEmulator;

beforeAll(async () => {
  [catalog, euRestricted] = await Promise.all([
    loadReferenceCatalog(),
    loadReferenceEuRestricted(),
  ]);
});
// A fresh emulator per test: requests a test aborted may still reach the server afterwards.
beforeEach(async () => {
  emulator = await startNgcEmulator({ catalog, euRestricted });
});
afterEach(() => emulator.stop());

/** A client against the emulator whose retries do not wait, with its sleeps and logs captured. */
function mockClient(overrides: Partial<NgcClientOptions> = {}) {
  const sleeps: number[] = [];
  const logs: string[] = [];
  const log = (message: string): void => {
    logs.push(message);
  };
  const client = createNgcClient({
    baseUrl: emulator.url,
    retries: RETRIES,
    baseDelayMs: 10,
    timeoutMs: 2000,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    logger: { debug: log, info: log, warn: log },
    ...overrides,
  });
  return { client, sleeps, logs };
}

function resourceIds(count: number): string[] {
  return emulator.catalog.slice(0, count).map((entry) => `${entry.namespace}/${entry.name}`);
}

function catalogPagesRequested(): number[] {
  return emulator.requests
    .filter((request) => request.route === 'catalog')
    .map((request) => (JSON.parse(request.query.q ?? '{}') as { page: number }).page);
}

describe('createNgcClient', () => {
  it('rejects nonsensical options', () => {
    expect(() => createNgcClient({ concurrency: 0 })).toThrow(
      /concurrency must be an integer >= 1/,
    );
    expect(() => createNgcClient({ retries: -1 })).toThrow(RangeError);
    expect(() => createNgcClient({ timeoutMs: 1.5 })).toThrow(RangeError);
  });
});

describe('listCatalog', () => {
  it('reads the whole catalog in one page when the server allows 1000', async () => {
    const { client } = mockClient();
    const listing = await client.listCatalog();
    expect(listing).toMatchObject({ pages: 1, resultTotal: 180, skipped: [] });
    expect(listing.entries).toHaveLength(180);
    expect(emulator.requests[0]).toMatchObject({ hasAuthorization: false });
    expect(JSON.parse(emulator.requests[0]?.query.q ?? '')).toEqual({
      query: 'orgName:nim',
      page: 0,
      pageSize: 1000,
    });
  });

  it('pages across a server page-size cap until page == resultPageTotal - 1', async () => {
    emulator.setMaxPageSize(7);
    const { client } = mockClient();
    const listing = await client.listCatalog();
    expect(listing.pages).toBe(26);
    expect(catalogPagesRequested()).toEqual([...Array(26).keys()]);
    expect(new Set(listing.entries.map((entry) => entry.resourceId)).size).toBe(180);
    expect(listing.entries.map((entry) => entry.name)).toEqual(
      emulator.catalog.map((entry) => entry.name),
    );
  });

  it('reports models without a latestTag as skipped', async () => {
    const skippedEmulator = await startNgcEmulator({
      catalog: emulator.catalog.slice(0, 5),
      withoutLatestTag: [emulator.catalog[1]!.name],
    });
    try {
      const listing = await mockClient({ baseUrl: skippedEmulator.url }).client.listCatalog();
      expect(listing.entries).toHaveLength(4);
      expect(listing.skipped).toEqual([
        {
          resourceId: `${emulator.catalog[1]!.namespace}/${emulator.catalog[1]!.name}`,
          reason: 'no latestTag attribute',
        },
      ]);
    } finally {
      await skippedEmulator.stop();
    }
  });

  it('waits the Retry-After of a 429 burst, then succeeds', async () => {
    emulator.setFaults([
      { route: 'catalog', times: 3, fault: { type: 'status', status: 429, retryAfter: 2 } },
    ]);
    const { client, sleeps, logs } = mockClient();
    const listing = await client.listCatalog();
    expect(listing.entries).toHaveLength(180);
    expect(sleeps).toEqual([2000, 2000, 2000]);
    expect(emulator.requests.map((request) => request.status)).toEqual([429, 429, 429, 200]);
    expect(logs[0]).toMatch(
      /catalog page 0: attempt 1\/4 failed \(HTTP 429\); retrying in 2000 ms/,
    );
  });

  it('caps a very long Retry-After', async () => {
    emulator.setFaults([
      { route: 'catalog', times: 1, fault: { type: 'status', status: 429, retryAfter: 86_400 } },
    ]);
    const { client, sleeps } = mockClient({ maxRetryAfterMs: 5000 });
    await client.listCatalog();
    expect(sleeps).toEqual([5000]);
  });

  it('retries a truncated body', async () => {
    emulator.setFaults([{ route: 'catalog', times: 2, fault: { type: 'truncated-json' } }]);
    const { client, logs } = mockClient();
    expect((await client.listCatalog()).entries).toHaveLength(180);
    expect(emulator.requests).toHaveLength(3);
    expect(logs[0]).toContain('truncated response');
  });

  it('throws a typed error once retries are exhausted', async () => {
    emulator.setFaults([{ route: 'catalog', fault: { type: 'status', status: 502 } }]);
    const { client, sleeps } = mockClient();
    const error = await client.listCatalog().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NgcRequestError);
    expect(error).toMatchObject({ code: 'request-failed', attempts: RETRIES + 1 });
    expect((error as NgcRequestError).suggestion).toBeTruthy();
    expect(sleeps).toHaveLength(RETRIES);
  });
});

describe('getModelDetails', () => {
  it('returns the details of a model', async () => {
    const { client } = mockClient();
    const outcome = await client.getModelDetails(LLAMA, EMULATOR_VALID_KEY);
    expect(outcome).toEqual({
      kind: 'ok',
      details: expect.objectContaining({
        name: 'llama-3.1-8b-instruct',
        namespace: 'nim/meta',
        latestTag: 'latest',
        updatedDate: '2026-02-04T19:47:27.380Z',
      }) as unknown,
    });
    expect(emulator.requests[0]).toMatchObject({
      method: 'GET',
      path: '/v2/org/nim/team/meta/repos/llama-3.1-8b-instruct',
      query: { 'resolve-labels': 'true' },
      hasAuthorization: true,
    });
  });

  it('recovers from 5xx answers', async () => {
    emulator.setFaults([{ route: 'details', times: 2, fault: { type: 'status', status: 503 } }]);
    const { client, logs } = mockClient();
    expect(await client.getModelDetails(LLAMA, EMULATOR_VALID_KEY)).toMatchObject({ kind: 'ok' });
    expect(emulator.requests.map((request) => request.status)).toEqual([503, 503, 200]);
    expect(logs).toHaveLength(2);
    expect(logs[0]).toContain('HTTP 503');
  });

  it('times out a hung request and retries it', async () => {
    emulator.setFaults([{ route: 'details', times: 1, fault: { type: 'hang' } }]);
    const { client, logs } = mockClient({ timeoutMs: 300 });
    const started = Date.now();
    expect(await client.getModelDetails(LLAMA, EMULATOR_VALID_KEY)).toMatchObject({ kind: 'ok' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(emulator.requests.map((request) => request.fault)).toEqual(['hang', undefined]);
    expect(logs[0]).toContain('timed out after 300 ms');
  });

  it('retries truncated JSON', async () => {
    emulator.setFaults([{ route: 'details', times: 1, fault: { type: 'truncated-json' } }]);
    const { client } = mockClient();
    expect(await client.getModelDetails(LLAMA, EMULATOR_VALID_KEY)).toMatchObject({ kind: 'ok' });
    expect(emulator.requests).toHaveLength(2);
  });

  it('gives up on malformed JSON with a reason and the attempt count', async () => {
    emulator.setFaults([{ route: 'details', model: LLAMA, fault: { type: 'malformed-json' } }]);
    const { client } = mockClient();
    const outcome = await client.getModelDetails(LLAMA, EMULATOR_VALID_KEY);
    expect(outcome).toEqual({
      kind: 'failed',
      attempts: RETRIES + 1,
      reason: expect.stringMatching(/after 4 attempt\(s\): malformed JSON/) as unknown,
    });
  });

  it('reports 451 as eu-restricted and an unknown model as not-found', async () => {
    const { client } = mockClient();
    expect(await client.getModelDetails(euRestricted[0]!, EMULATOR_VALID_KEY)).toEqual({
      kind: 'eu-restricted',
    });
    expect(await client.getModelDetails('nim/meta/no-such-model', EMULATOR_VALID_KEY)).toEqual({
      kind: 'not-found',
    });
  });

  it('reports 401 as unauthorized without retrying', async () => {
    const { client } = mockClient();
    expect(await client.getModelDetails(LLAMA, 'nvapi-not-accepted-by-emulator')).toEqual({
      kind: 'unauthorized',
      status: 401,
    });
    expect(emulator.requests).toHaveLength(1);
  });
});

describe('fetchAllModelDetails', () => {
  it('bounds concurrency, keeps input order and reports progress', async () => {
    emulator.setFaults([{ route: 'details', fault: { type: 'latency', ms: 20 } }]);
    const { client } = mockClient({ concurrency: 3 });
    const ids = [...resourceIds(20), euRestricted[1]!];
    const progress: [number, number][] = [];
    const results = await client.fetchAllModelDetails({
      key: EMULATOR_VALID_KEY,
      models: ids,
      onProgress: ({ done, total }) => progress.push([done, total]),
    });
    expect(results.map((result) => result.resourceId)).toEqual(ids);
    expect(results.filter((result) => result.outcome.kind === 'ok')).toHaveLength(20);
    expect(results.at(-1)?.outcome).toEqual({ kind: 'eu-restricted' });
    expect(emulator.stats.maxInFlight).toBeLessThanOrEqual(3);
    expect(emulator.stats.maxInFlight).toBeGreaterThanOrEqual(2);
    expect(progress).toEqual(ids.map((_, index) => [index + 1, ids.length]));
  });

  it('widens past its initial width while answers are clean, never past the cap', async () => {
    emulator.setFaults([{ route: 'details', fault: { type: 'latency', ms: 20 } }]);
    const { client } = mockClient({ initialConcurrency: 2, concurrency: 8 });
    const widths: number[] = [];
    const results = await client.fetchAllModelDetails({
      key: EMULATOR_VALID_KEY,
      models: resourceIds(60),
      onProgress: ({ concurrency }) => widths.push(concurrency.width),
    });
    expect(results.every((result) => result.outcome.kind === 'ok')).toBe(true);
    expect(widths[0]).toBeLessThanOrEqual(3);
    expect(Math.max(...widths)).toBe(8);
    expect(emulator.stats.maxInFlight).toBeGreaterThan(2);
    expect(emulator.stats.maxInFlight).toBeLessThanOrEqual(8);
  });

  it('narrows under a rate limit, waits its Retry-After and still fetches everything', async () => {
    emulator.setFaults([{ route: 'details', fault: { type: 'latency', ms: 10 } }]);
    emulator.setRateLimit({ requestsPerSecond: 200, burst: 4 });
    // Real waits, with the emulator's Retry-After of 1 s capped to 20 ms.
    const { client } = mockClient({
      initialConcurrency: 8,
      retries: 10,
      maxRetryAfterMs: 20,
      sleep: defaultSleep,
    });
    let last: NgcProgress | undefined;
    const results = await client.fetchAllModelDetails({
      key: EMULATOR_VALID_KEY,
      models: resourceIds(30),
      onProgress: (progress) => (last = progress),
    });
    expect(results.every((result) => result.outcome.kind === 'ok')).toBe(true);
    const throttled = emulator.requests.filter((request) => request.fault === 'rate-limit');
    expect(throttled.length).toBeGreaterThan(0);
    expect(last?.concurrency.overloaded).toBe(throttled.length);
  });

  it('uses catalog entries as fallbacks', async () => {
    const { client } = mockClient();
    const listing = await client.listCatalog();
    const results = await client.fetchAllModelDetails({
      key: EMULATOR_VALID_KEY,
      models: listing.entries.slice(0, 3),
    });
    expect(results.map((result) => result.outcome.kind)).toEqual(['ok', 'ok', 'ok']);
  });

  it('isolates one model that keeps failing', async () => {
    const [first, broken, third] = resourceIds(3);
    emulator.setFaults([{ route: 'details', model: broken, fault: { type: 'malformed-json' } }]);
    const { client } = mockClient();
    const results = await client.fetchAllModelDetails({
      key: EMULATOR_VALID_KEY,
      models: [first!, broken!, third!],
    });
    expect(results.map((result) => result.outcome.kind)).toEqual(['ok', 'failed', 'ok']);
  });

  it('stops at the first 401 and throws a typed error', async () => {
    const { client } = mockClient({ concurrency: 2 });
    const models = resourceIds(30);
    const error = await client
      .fetchAllModelDetails({ key: 'nvapi-revoked-test-key', models })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NgcUnauthorizedError);
    expect(error).toMatchObject({ code: 'unauthorized', status: 401 });
    // Only the calls already in flight went out; nothing queued was scheduled afterwards.
    expect(emulator.requests.length).toBeLessThanOrEqual(2);
  });

  it('aborts in-flight calls when one model answers 401 mid-run', async () => {
    const models = resourceIds(12);
    emulator.setFaults([
      { route: 'details', fault: { type: 'latency', ms: 30 } },
      { route: 'details', model: models[4], fault: { type: 'status', status: 403 } },
    ]);
    const { client } = mockClient({ concurrency: 3 });
    await expect(
      client.fetchAllModelDetails({ key: EMULATOR_VALID_KEY, models }),
    ).rejects.toBeInstanceOf(NgcUnauthorizedError);
    expect(emulator.requests.length).toBeLessThan(models.length);
  });
});

describe('validateKey', () => {
  it('accepts a valid personal key, sending it as form body and bearer', async () => {
    const { client } = mockClient();
    expect(await client.validateKey(EMULATOR_VALID_KEY)).toEqual({
      kind: 'valid',
      keyType: 'PERSONAL_KEY',
    });
    expect(emulator.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/v3/keys/get-caller-info',
        hasAuthorization: true,
        status: 200,
      }),
    ]);
  });

  it('reports a rejected key as invalid', async () => {
    const { client } = mockClient();
    expect(await client.validateKey('nvapi-wrong-key')).toMatchObject({
      kind: 'invalid',
      status: 401,
    });
  });

  it('reports an unreachable service after retries', async () => {
    emulator.setFaults([{ route: 'key-validation', fault: { type: 'hang' } }]);
    const { client } = mockClient({ timeoutMs: 100, retries: 1 });
    expect(await client.validateKey(EMULATOR_VALID_KEY)).toMatchObject({
      kind: 'unreachable',
      attempts: 2,
      message: expect.stringContaining('timed out') as unknown,
    });
  });

  it('rejects a non-personal key before any request', async () => {
    const { client } = mockClient();
    const result = await client.validateKey('bGVnYWN5LWtleQ==:legacy-format-key');
    expect(result).toMatchObject({ kind: 'not-personal' });
    if (result.kind !== 'not-personal') throw new Error('unreachable');
    expect(result.message).toMatch(/legacy/i);
    expect(result.message).toMatch(/personal key/i);
    expect(result.suggestion).toMatch(/personal-keys/);
    await expect(client.getModelDetails(LLAMA, 'legacy-key')).rejects.toBeInstanceOf(
      NgcNonPersonalKeyError,
    );
    await expect(
      client.fetchAllModelDetails({ key: 'legacy-key', models: [LLAMA] }),
    ).rejects.toMatchObject({ code: 'non-personal-key' });
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('key hygiene', () => {
  const SECRET = 'nvapi-SECRET-hygiene-check-0123';

  /** Everything an error or value could leak through: JSON, inspect, and the cause chain. */
  function dump(value: unknown): string {
    const parts: string[] = [];
    let current: unknown = value;
    for (let depth = 0; current !== undefined && depth < 10; depth += 1) {
      parts.push(
        JSON.stringify(current) ?? '',
        inspect(current, { depth: null, showHidden: true }),
      );
      if (current instanceof Error) {
        parts.push(
          JSON.stringify(current, Object.getOwnPropertyNames(current)),
          current.stack ?? '',
        );
        current = current.cause;
      } else current = undefined;
    }
    return parts.join('\n');
  }

  it('never puts the key in thrown errors, results or logs', async () => {
    const { client, logs } = mockClient({ timeoutMs: 100, retries: 1 });
    const captured: unknown[] = [];
    captured.push(
      await client
        .fetchAllModelDetails({ key: SECRET, models: resourceIds(3) })
        .catch((error: unknown) => error),
    );
    captured.push(await client.validateKey(SECRET));
    captured.push(await client.getModelDetails(LLAMA, SECRET));
    emulator.setFaults([{ fault: { type: 'hang' } }]);
    captured.push(await client.validateKey(SECRET));
    captured.push(await client.getModelDetails(LLAMA, SECRET));
    emulator.setFaults([{ fault: { type: 'malformed-json' } }]);
    captured.push(await client.getModelDetails(LLAMA, SECRET));

    expect(captured[0]).toBeInstanceOf(NgcUnauthorizedError);
    expect(captured.map((value) => (value as { kind?: string }).kind)).toEqual([
      undefined,
      'invalid',
      'unauthorized',
      'unreachable',
      'failed',
      'failed',
    ]);
    expect(logs.length).toBeGreaterThan(0);
    expect(captured.map(dump).join('\n')).not.toContain(SECRET);
    expect(logs.join('\n')).not.toContain(SECRET);
    expect(JSON.stringify(emulator.requests)).not.toContain(SECRET);
  });

  it('strips the key from network errors and their causes', async () => {
    // A fetch that fails the way undici can: the cause carries the request and its headers.
    const leakyFetch: typeof fetch = (_input, init) => {
      const headers = init?.headers as Record<string, string> | undefined;
      const inner = Object.assign(new Error(`socket hang up (${headers?.Authorization})`), {
        code: 'ECONNRESET',
        request: { headers },
      });
      return Promise.reject(new TypeError('fetch failed', { cause: inner }));
    };
    const { client, logs } = mockClient({ fetch: leakyFetch, retries: 1 });
    const outcome = await client.getModelDetails(LLAMA, SECRET);
    const validation = await client.validateKey(SECRET);
    expect(outcome).toMatchObject({ kind: 'failed', attempts: 2 });
    expect(validation).toMatchObject({ kind: 'unreachable' });
    expect(logs.join('\n')).toContain('socket hang up (Bearer [REDACTED])');
    expect(`${dump(outcome)}${dump(validation)}${logs.join('\n')}`).not.toContain(SECRET);
  });
});
