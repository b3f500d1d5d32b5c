import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { buildModelsConfigMap, serializeModelsConfigMap, type ModelEntry } from '@odh-nim/contract';

import { loadReferenceCatalog, loadReferenceEuRestricted } from './reference-data.js';
import { EMULATOR_VALID_KEY, startNgcEmulator, type NgcEmulator } from './server.js';
import { createEmulatorTls } from './tls.js';

let catalog: ModelEntry[];
let emulator: NgcEmulator;

beforeAll(async () => {
  catalog = await loadReferenceCatalog();
});
beforeEach(async () => {
  emulator = await startNgcEmulator({
    catalog,
    euRestricted: await loadReferenceEuRestricted(),
    maxPageSize: 50,
  });
});
afterEach(() => emulator.stop());

const auth = { Authorization: `Bearer ${EMULATOR_VALID_KEY}` };

function catalogUrl(params: Record<string, unknown>): string {
  return `${emulator.url}/v2/search/catalog/resources/CONTAINER?q=${encodeURIComponent(JSON.stringify(params))}`;
}

function detailsUrl(resourceId: string): string {
  const [org, team, name] = resourceId.split('/');
  return `${emulator.url}/v2/org/${org}/team/${team}/repos/${name}?resolve-labels=true`;
}

async function getJson(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as unknown) : undefined };
}

describe('startNgcEmulator', () => {
  it('binds to 127.0.0.1 and serves the reference catalog', async () => {
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emulator.catalog).toHaveLength(180);
  });

  it('serves a catalog from a ConfigMap YAML file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ngc-emulator-'));
    try {
      const path = join(dir, 'models.yaml');
      await writeFile(
        path,
        serializeModelsConfigMap(await buildModelsConfigMap(catalog.slice(0, 3))),
      );
      const fromFile = await startNgcEmulator({ catalogPath: path });
      await fromFile.stop();
      expect(fromFile.catalog).toEqual(catalog.slice(0, 3));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('caps the page size like the real search and reports the page math', async () => {
    const { json } = await getJson(catalogUrl({ query: 'orgName:nim', page: 3, pageSize: 1000 }));
    expect(json).toMatchObject({
      resultTotal: 180,
      resultPageTotal: 4,
      params: { page: 3, pageSize: 50 },
      results: [
        { groupValue: '_scored', totalCount: 2 },
        { groupValue: 'CONTAINER', totalCount: 180, resources: expect.any(Array) as unknown },
      ],
    });
    const resources = (json as { results: { resources: unknown[] }[] }).results[1]?.resources;
    expect(resources).toHaveLength(30);
  });

  it('filters by orgName and rejects a bad query', async () => {
    const other = await getJson(catalogUrl({ query: 'orgName:nvidia', page: 0, pageSize: 10 }));
    expect(other.json).toMatchObject({ resultTotal: 0, resultPageTotal: 0 });
    expect(
      (await fetch(`${emulator.url}/v2/search/catalog/resources/CONTAINER?q=%7B`)).status,
    ).toBe(400);
  });

  it('requires a valid bearer key for details and answers 451 for EU-restricted models', async () => {
    const llama = 'nim/meta/llama-3.1-8b-instruct';
    expect((await getJson(detailsUrl(llama))).status).toBe(401);
    expect(
      (await getJson(detailsUrl(llama), { headers: { Authorization: 'Bearer nvapi-other' } }))
        .status,
    ).toBe(401);
    expect(await getJson(detailsUrl(llama), { headers: auth })).toMatchObject({
      status: 200,
      json: { name: 'llama-3.1-8b-instruct', namespace: 'nim/meta', latestTag: 'latest' },
    });
    expect(
      await getJson(detailsUrl('nim/meta/llama-3.2-11b-vision-instruct'), { headers: auth }),
    ).toEqual({
      status: 451,
      json: undefined,
    });
    expect((await getJson(detailsUrl('nim/meta/nope'), { headers: auth })).status).toBe(404);
  });

  it('validates keys from the form body', async () => {
    const post = (credentials: string) =>
      fetch(`${emulator.url}/v3/keys/get-caller-info`, {
        method: 'POST',
        body: new URLSearchParams({ credentials }),
      });
    expect((await post(EMULATOR_VALID_KEY)).status).toBe(200);
    expect((await post('nvapi-nope')).status).toBe(401);
    expect((await fetch(`${emulator.url}/v3/keys/get-caller-info`)).status).toBe(405);
  });

  it('records requests without any header value or body', async () => {
    await fetch(`${emulator.url}/v3/keys/get-caller-info`, {
      method: 'POST',
      headers: auth,
      body: new URLSearchParams({ credentials: EMULATOR_VALID_KEY }),
    });
    await fetch(detailsUrl('nim/meta/llama-3.1-8b-instruct'));
    expect(emulator.requests).toEqual([
      {
        method: 'POST',
        path: '/v3/keys/get-caller-info',
        query: {},
        route: 'key-validation',
        model: undefined,
        hasAuthorization: true,
        fault: undefined,
        status: 200,
        receivedAtMs: expect.any(Number),
      },
      expect.objectContaining({
        route: 'details',
        model: 'nim/meta/llama-3.1-8b-instruct',
        hasAuthorization: false,
        status: 401,
      }),
    ]);
    expect(JSON.stringify(emulator.requests)).not.toContain(EMULATOR_VALID_KEY);
  });

  it('sends 429 with Retry-After for the next N requests only', async () => {
    emulator.setFaults([
      { route: 'catalog', times: 2, fault: { type: 'status', status: 429, retryAfter: 3 } },
    ]);
    const url = catalogUrl({ query: 'orgName:nim', page: 0, pageSize: 1 });
    const first = await fetch(url);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('3');
    expect((await fetch(url)).status).toBe(429);
    expect((await fetch(url)).status).toBe(200);
  });

  it('answers 429 with Retry-After at once past its token-bucket limit', async () => {
    emulator.setFaults([{ fault: { type: 'latency', ms: 200 } }]);
    emulator.setRateLimit({ requestsPerSecond: 1, burst: 2 });
    const url = catalogUrl({ query: 'orgName:nim', pageSize: 1 });
    const finished: number[] = [];
    const answers = await Promise.all(
      [0, 1, 2].map(async () => {
        const answer = await fetch(url);
        finished.push(answer.status);
        return answer;
      }),
    );
    // The refusal skips the latency: it arrives before either answer.
    expect(finished).toEqual([429, 200, 200]);
    const throttled = answers.find((answer) => answer.status === 429);
    expect(throttled?.headers.get('retry-after')).toBe('1');
    expect(emulator.requests.filter((request) => request.fault === 'rate-limit')).toHaveLength(1);
    emulator.setRateLimit(undefined);
    expect((await fetch(url)).status).toBe(200);
  });

  it('serves HTTPS with a certificate its CA vouches for', async () => {
    const tls = createEmulatorTls();
    const secure = await startNgcEmulator({ catalog: catalog.slice(0, 2), tls });
    try {
      expect(secure.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const status = await new Promise<number | undefined>((resolve, reject) => {
        const url = `${secure.url}/v2/search/catalog/resources/CONTAINER`;
        httpsGet(url, { ca: tls.caPem }, (response) => {
          response.resume();
          resolve(response.statusCode);
        }).once('error', reject);
      });
      expect(status).toBe(200);
    } finally {
      await secure.stop();
    }
  });

  it('truncates a body: the full Content-Length is promised, half is sent', async () => {
    emulator.setFaults([{ route: 'catalog', fault: { type: 'truncated-json' } }]);
    const response = await fetch(catalogUrl({ query: 'orgName:nim', page: 0, pageSize: 5 }));
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it('sends a body that is not JSON for malformed-json', async () => {
    emulator.setFaults([{ fault: { type: 'malformed-json' } }]);
    const response = await fetch(catalogUrl({ query: 'orgName:nim' }));
    await expect(response.json()).rejects.toThrow();
  });

  it('adds latency before answering', async () => {
    emulator.setFaults([{ fault: { type: 'latency', ms: 120 } }]);
    const started = Date.now();
    await fetch(catalogUrl({ query: 'orgName:nim', pageSize: 1 }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('stop() closes hung connections promptly', async () => {
    emulator.setFaults([{ fault: { type: 'hang' } }]);
    const pending = fetch(catalogUrl({ query: 'orgName:nim' })).then(
      () => 'answered',
      () => 'failed',
    );
    await expect.poll(() => emulator.stats.inFlight).toBe(1);
    const started = Date.now();
    await emulator.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await pending).toBe('failed');
    expect(emulator.requests[0]).toMatchObject({ fault: 'hang', status: undefined });
  });

  it('reset() clears faults, requests and the page-size override', async () => {
    emulator.setFaults([{ fault: { type: 'status', status: 500 } }]);
    emulator.setMaxPageSize(1);
    await fetch(catalogUrl({}));
    emulator.reset();
    expect(emulator.requests).toEqual([]);
    const { status, json } = await getJson(catalogUrl({ query: 'orgName:nim', pageSize: 1000 }));
    expect(status).toBe(200);
    expect(json).toMatchObject({ params: { pageSize: 50 } });
  });
});
