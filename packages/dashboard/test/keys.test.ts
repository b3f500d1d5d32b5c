import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { API, NIM_PULL_SECRET_NAME, NIM_SECRET_NAME } from '@odh-nim/contract';

import {
  API_PATHS,
  apiKeyPath,
  deploymentsPath,
  deployResponseSchema,
  validateKeyResponseSchema,
} from '../src/api/types.js';
import {
  createProject,
  deployBody,
  findLeaks,
  GOOD_KEY,
  LEGACY_KEY,
  listProjectObjects,
  REJECTED_KEY,
  startHarness,
  type Harness,
} from './harness.js';

const keyValidationCalls = (harness: Harness): number =>
  harness.ngc.requests.filter((r) => r.route === 'key-validation').length;

describe('NGC key validation and collection', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ config: { ngcTimeoutMs: 300 } });
  });
  beforeEach(() => harness.ngc.reset());
  afterAll(async () => {
    expect(findLeaks(harness)).toEqual([]);
    await harness.close();
  });

  describe('POST /api/nim/validate-key', () => {
    it.each([
      [GOOD_KEY, 'valid', true],
      [REJECTED_KEY, 'invalid', false],
      [LEGACY_KEY, 'legacy', false],
    ] as const)('tells %s apart: %s', async (apiKey, kind, valid) => {
      const response = await harness.call({
        method: 'POST',
        url: API_PATHS.validateKey,
        body: { apiKey },
      });
      expect(response.status).toBe(200);
      const result = validateKeyResponseSchema.parse(response.body);
      expect(result).toMatchObject({ kind, valid });
      expect(result.message.length).toBeGreaterThan(0);
      // A legacy key is refused before any call to NGC.
      expect(keyValidationCalls(harness)).toBe(kind === 'legacy' ? 0 : 1);
    });

    it('reports NGC unreachable when it hangs past the timeout', async () => {
      harness.ngc.setFaults([{ route: 'key-validation', fault: { type: 'hang' } }]);
      const response = await harness.call({
        method: 'POST',
        url: API_PATHS.validateKey,
        body: { apiKey: GOOD_KEY },
      });
      expect(response.status).toBe(200);
      expect(validateKeyResponseSchema.parse(response.body)).toMatchObject({
        kind: 'unreachable',
        valid: false,
      });
    });

    it('reports NGC unreachable when it keeps failing', async () => {
      harness.ngc.setFaults([{ route: 'key-validation', fault: { type: 'status', status: 503 } }]);
      const response = await harness.call({
        method: 'POST',
        url: API_PATHS.validateKey,
        body: { apiKey: GOOD_KEY },
      });
      expect(validateKeyResponseSchema.parse(response.body).kind).toBe('unreachable');
    });

    it('rejects a missing key with 400 naming the field, and bad JSON without echoing it', async () => {
      const missing = await harness.call({ method: 'POST', url: API_PATHS.validateKey, body: {} });
      expect(missing.status).toBe(400);
      expect(missing.body).toMatchObject({ code: 'invalid-request', field: 'apiKey' });

      const broken = await harness.call({
        method: 'POST',
        url: API_PATHS.validateKey,
        rawBody: `{"apiKey": ${GOOD_KEY}}`,
      });
      expect(broken.status).toBe(400);
      expect(broken.body).toMatchObject({ code: 'invalid-request' });
      expect(broken.text).not.toContain(GOOD_KEY);
    });

    it('requires a token', async () => {
      const response = await harness.call({
        method: 'POST',
        url: API_PATHS.validateKey,
        as: 'anonymous',
        body: { apiKey: GOOD_KEY },
      });
      expect(response.status).toBe(401);
      expect(keyValidationCalls(harness)).toBe(0);
    });
  });

  describe('deploy', () => {
    it('rejects an invalid key before anything is created', async () => {
      const ns = await createProject(harness);
      const before = await listProjectObjects(harness, ns);
      const response = await harness.call({
        method: 'POST',
        url: deploymentsPath(ns),
        body: deployBody({ apiKey: REJECTED_KEY }),
      });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        code: 'invalid-key',
        field: 'apiKey',
        failedStep: 'key-validation',
      });
      expect(keyValidationCalls(harness)).toBe(1);
      expect(await listProjectObjects(harness, ns)).toEqual(before);
    });

    it('rejects a legacy key without calling NGC', async () => {
      const ns = await createProject(harness);
      const response = await harness.call({
        method: 'POST',
        url: deploymentsPath(ns),
        body: deployBody({ apiKey: LEGACY_KEY }),
      });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'legacy-key', field: 'apiKey' });
      expect(keyValidationCalls(harness)).toBe(0);
      expect((await listProjectObjects(harness, ns)).runtimes).toEqual([]);
    });

    it('answers 502 and creates nothing when NGC is unreachable', async () => {
      const ns = await createProject(harness);
      const before = await listProjectObjects(harness, ns);
      harness.ngc.setFaults([{ route: 'key-validation', fault: { type: 'hang' } }]);
      const response = await harness.call({
        method: 'POST',
        url: deploymentsPath(ns),
        body: deployBody(),
      });
      expect(response.status).toBe(502);
      expect(response.body).toMatchObject({
        code: 'ngc-unreachable',
        failedStep: 'key-validation',
      });
      expect(await listProjectObjects(harness, ns)).toEqual(before);
    });

    it('skips the NGC call when key validation is disabled', async () => {
      await harness.setDashboardConfig({ nimConfig: { disableKeyValidation: true } });
      try {
        const ns = await createProject(harness);
        const response = await harness.call({
          method: 'POST',
          url: deploymentsPath(ns),
          // NGC would reject this key: proof that it was not asked.
          body: deployBody({ apiKey: REJECTED_KEY }),
        });
        expect(response.status, response.text).toBe(201);
        expect(deployResponseSchema.parse(response.body).keyValidation).toBe('skipped');
        expect(harness.ngc.requests).toEqual([]);
        const validate = await harness.call({
          method: 'POST',
          url: API_PATHS.validateKey,
          body: { apiKey: GOOD_KEY },
        });
        expect(validateKeyResponseSchema.parse(validate.body).kind).toBe('skipped');
        expect(harness.ngc.requests).toEqual([]);
      } finally {
        await harness.setDashboardConfig({});
      }
    });

    it('creates no secrets, no key env and no pull secret when key collection is disabled', async () => {
      await harness.setDashboardConfig({ nimConfig: { disableKeyCollection: true } });
      try {
        const ns = await createProject(harness);
        const response = await harness.call({
          method: 'POST',
          url: deploymentsPath(ns),
          body: deployBody({ apiKey: undefined }),
        });
        expect(response.status, response.text).toBe(201);
        const result = deployResponseSchema.parse(response.body);
        expect(result.keyValidation).toBe('not-collected');
        expect(result.objects.map((o) => o.kind)).not.toContain('Secret');
        expect(harness.ngc.requests).toEqual([]);

        const objects = await listProjectObjects(harness, ns);
        expect(objects.secrets).not.toContain(NIM_SECRET_NAME);
        expect(objects.secrets).not.toContain(NIM_PULL_SECRET_NAME);
        const runtime = (await harness.custom.getNamespacedCustomObject({
          ...API.servingRuntime,
          namespace: ns,
          name: 'llama-8b',
        })) as {
          spec: { imagePullSecrets?: unknown; containers: { env: { name: string }[] }[] };
        };
        expect(runtime.spec.imagePullSecrets).toBeUndefined();
        expect(runtime.spec.containers[0]?.env.map((e) => e.name)).toEqual(['NIM_CACHE_PATH']);

        // A key sent anyway is not stored, and rotation is refused.
        const withKey = await harness.call({
          method: 'POST',
          url: deploymentsPath(ns),
          body: deployBody({ name: 'with-key' }),
        });
        expect(withKey.status).toBe(201);
        expect((await listProjectObjects(harness, ns)).secrets).not.toContain(NIM_SECRET_NAME);
        const rotate = await harness.call({
          method: 'PUT',
          url: apiKeyPath(ns),
          body: { apiKey: GOOD_KEY },
        });
        expect(rotate.status).toBe(400);
      } finally {
        await harness.setDashboardConfig({});
      }
    });

    it('requires a key unless the stored one is reused', async () => {
      const ns = await createProject(harness);
      const missing = await harness.call({
        method: 'POST',
        url: deploymentsPath(ns),
        body: deployBody({ apiKey: undefined }),
      });
      expect(missing.status).toBe(400);
      expect(missing.body).toMatchObject({ field: 'apiKey' });
      const noStored = await harness.call({
        method: 'POST',
        url: deploymentsPath(ns),
        body: deployBody({ apiKey: undefined, useExistingKey: true }),
      });
      expect(noStored.status).toBe(400);
      expect(noStored.body).toMatchObject({ field: 'useExistingKey' });
      expect(await harness.call({ url: apiKeyPath(ns) }).then((r) => r.body)).toEqual({
        exists: false,
        complete: false,
      });
    });
  });
});

describe('rate limit of key validation', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ config: { keyRateLimit: { max: 3, timeWindowMs: 60_000 } } });
  });
  afterAll(async () => {
    expect(findLeaks(harness)).toEqual([]);
    await harness.close();
  });

  it('limits each user separately', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await harness.call({
        method: 'POST',
        url: API_PATHS.validateKey,
        as: 'alice',
        body: { apiKey: GOOD_KEY },
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await harness.call({
      method: 'POST',
      url: API_PATHS.validateKey,
      as: 'alice',
      body: { apiKey: GOOD_KEY },
    });
    expect(limited.body).toMatchObject({ code: 'rate-limited' });
    const bob = await harness.call({
      method: 'POST',
      url: API_PATHS.validateKey,
      as: 'bob',
      body: { apiKey: GOOD_KEY },
    });
    expect(bob.status).toBe(200);
    expect(harness.ngc.requests.filter((r) => r.route === 'key-validation')).toHaveLength(4);
  });

  it('counts deploys too: failing deploys are no way around the limit', async () => {
    const ns = await createProject(harness, { editors: ['bob'] });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await harness.call({
        method: 'POST',
        url: deploymentsPath(ns),
        as: 'bob',
        body: deployBody({ apiKey: REJECTED_KEY }),
      });
      statuses.push(response.status);
    }
    // Each route counts on its own: three deploys a window, like three validations.
    expect(statuses).toEqual([400, 400, 400, 429]);
  });
});
