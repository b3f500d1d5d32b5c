import { RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { API, MODELS_CONFIGMAP_NAME } from '@odh-nim/contract';
import { createTestNamespace } from '@odh-nim/testkit';

import {
  API_PATHS,
  configResponseSchema,
  deploymentsPath,
  modelsResponseSchema,
  type ModelsResponse,
} from '../src/api/types.js';
import {
  createProject,
  createRoleFor,
  deployBody,
  listProjectObjects,
  findLeaks,
  installReferenceCatalog,
  startHarness,
  type Harness,
} from './harness.js';

describe('GET /api/nim/models and /api/nim/config', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    expect(findLeaks(harness)).toEqual([]);
    await harness.close();
  });

  it('serves the reference catalog from the applications namespace, sorted', async () => {
    const response = await harness.call({ url: API_PATHS.models });
    expect(response.status).toBe(200);
    const body = modelsResponseSchema.parse(response.body);
    expect(body.state).toBe('ready');
    expect(body.source).toEqual({
      name: MODELS_CONFIGMAP_NAME,
      namespace: harness.appsNamespace,
      custom: false,
    });
    expect(body.models).toHaveLength(180);
    expect(body.warnings).toEqual([]);
    const names = body.models.map((m) => m.name);
    expect(names).toEqual([...names].sort());
    expect(body.models.find((m) => m.name === 'llama-3.1-8b-instruct')?.tags).toContain('1.8.4');
  });

  it('requires a bearer token', async () => {
    const response = await harness.call({ url: API_PATHS.models, as: 'anonymous' });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ code: 'unauthenticated' });
  });

  it('describes the configuration and the installed Templates', async () => {
    const response = await harness.call({ url: API_PATHS.config });
    expect(response.status).toBe(200);
    expect(configResponseSchema.parse(response.body)).toEqual({
      enabled: true,
      keyValidation: true,
      keyCollection: true,
      applicationsNamespace: harness.appsNamespace,
      catalogSource: {
        name: MODELS_CONFIGMAP_NAME,
        namespace: harness.appsNamespace,
        custom: false,
      },
      catalogState: 'ready',
      registry: 'nvcr.io',
      templates: [
        {
          protocol: 'http',
          name: 'nvidia-nim-runtime-http',
          installed: true,
          displayName: 'NVIDIA NIM serving runtime (HTTP)',
        },
        {
          protocol: 'grpc',
          name: 'nvidia-nim-runtime-grpc',
          installed: true,
          displayName: 'NVIDIA NIM serving runtime (gRPC)',
        },
      ],
      nimConfigCrd: { state: 'supported' },
    });
  });

  it('reads the catalog from spec.nimConfig.customConfigMap, skipping malformed entries with warnings', async () => {
    const customNamespace = await createTestNamespace(harness.admin, 'nim-custom-catalog');
    await installReferenceCatalog(harness.core, customNamespace, 'my-nim-catalog', {
      'broken-model': '{"name": "broken-model", "displayName": ',
      'mismatched-key': JSON.stringify({ name: 'other-name' }),
    });
    await createRoleFor(harness.admin, {
      namespace: customNamespace,
      role: 'nim-dashboard-reader',
      subject: 'system:serviceaccount:nim-tests:odh-dashboard',
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }],
    });
    await harness.setDashboardConfig({
      nimConfig: { customConfigMap: { name: 'my-nim-catalog', namespace: customNamespace } },
    });
    await harness.app.nimCache.waitFor((cache) => cache.catalog.source.custom);
    await harness.app.nimCache.waitFor((cache) => cache.catalog.state === 'ready');

    const body = modelsResponseSchema.parse((await harness.call({ url: API_PATHS.models })).body);
    expect(body.source).toEqual({
      name: 'my-nim-catalog',
      namespace: customNamespace,
      custom: true,
    });
    expect(body.models).toHaveLength(180);
    expect(body.warnings.map((w) => w.key).sort()).toEqual(['broken-model', 'mismatched-key']);
    for (const warning of body.warnings) expect(warning.reason.length).toBeGreaterThan(0);

    await harness.setDashboardConfig({});
    await harness.app.nimCache.waitFor((cache) => !cache.catalog.source.custom);
  });

  it('reports a missing catalog as catalog-not-installed, not a 500', async () => {
    await harness.setDashboardConfig({
      nimConfig: { customConfigMap: { name: 'does-not-exist' } },
    });
    await harness.app.nimCache.waitFor(
      (cache) => cache.catalog.source.name === 'does-not-exist' && cache.catalog.state !== 'ready',
    );
    const response = await harness.call({ url: API_PATHS.models });
    expect(response.status).toBe(200);
    const body: ModelsResponse = modelsResponseSchema.parse(response.body);
    expect(body.state).toBe('catalog-not-installed');
    expect(body.models).toEqual([]);
    expect(body.message).toContain('does-not-exist');
    await harness.setDashboardConfig({});
    await harness.app.nimCache.waitFor((cache) => cache.catalog.state === 'ready');
  });

  it('never answers with the previous catalog once customConfigMap names one it cannot read', async () => {
    // The backend's identity has no Role in this namespace: the list is forbidden.
    const unreadable = await createTestNamespace(harness.admin, 'nim-unreadable-catalog');
    await installReferenceCatalog(harness.core, unreadable, 'forbidden-catalog');
    await harness.setDashboardConfig({
      nimConfig: { customConfigMap: { name: 'forbidden-catalog', namespace: unreadable } },
    });
    await harness.app.nimCache.waitFor((cache) => cache.catalog.source.custom);
    const body = modelsResponseSchema.parse((await harness.call({ url: API_PATHS.models })).body);
    expect(body.source).toEqual({ name: 'forbidden-catalog', namespace: unreadable, custom: true });
    expect(body.state).not.toBe('ready');
    expect(body.models).toEqual([]);
    const config = configResponseSchema.parse((await harness.call({ url: API_PATHS.config })).body);
    expect(config.catalogState).not.toBe('ready');
    const ns = await createProject(harness);
    const deploy = await harness.call({
      method: 'POST',
      url: deploymentsPath(ns),
      body: deployBody(),
    });
    expect(deploy.status).toBe(409);
    expect(deploy.body).toMatchObject({ code: 'catalog-not-installed', failedStep: 'validate' });
    await harness.setDashboardConfig({});
    await harness.app.nimCache.waitFor((cache) => cache.catalog.state === 'ready');
  });

  it('follows the ConfigMap when it is replaced (watch)', async () => {
    await harness.core.deleteNamespacedConfigMap({
      namespace: harness.appsNamespace,
      name: MODELS_CONFIGMAP_NAME,
    });
    await harness.app.nimCache.waitFor((cache) => cache.catalog.state === 'catalog-not-installed');
    expect(
      modelsResponseSchema.parse((await harness.call({ url: API_PATHS.models })).body).state,
    ).toBe('catalog-not-installed');
    await installReferenceCatalog(harness.core, harness.appsNamespace);
    await harness.app.nimCache.waitFor((cache) => cache.catalog.state === 'ready');
    expect(
      modelsResponseSchema.parse((await harness.call({ url: API_PATHS.models })).body).models,
    ).toHaveLength(180);
  });

  it('gives a disabled state on every NIM route when disableNIMModelServing is set', async () => {
    await harness.setDashboardConfig({ dashboardConfig: { disableNIMModelServing: true } });
    const models = modelsResponseSchema.parse((await harness.call({ url: API_PATHS.models })).body);
    expect(models.state).toBe('disabled');
    expect(models.models).toEqual([]);
    const config = configResponseSchema.parse((await harness.call({ url: API_PATHS.config })).body);
    expect(config).toMatchObject({ enabled: false, catalogState: 'disabled' });
    const calls = [
      { method: 'POST' as const, url: API_PATHS.validateKey, body: { apiKey: 'nvapi-x' } },
      { method: 'GET' as const, url: '/api/namespaces/some-project/nim/deployments' },
      { method: 'POST' as const, url: '/api/namespaces/some-project/nim/deployments', body: {} },
      { method: 'DELETE' as const, url: '/api/namespaces/some-project/nim/deployments/x' },
      { method: 'GET' as const, url: '/api/namespaces/some-project/nim/api-key' },
      { method: 'PUT' as const, url: '/api/namespaces/some-project/nim/api-key', body: {} },
    ];
    for (const call of calls) {
      const response = await harness.call(call);
      expect(response.status, `${call.method} ${call.url}`).toBe(403);
      expect(response.body).toMatchObject({ code: 'nim-disabled' });
    }
    await harness.setDashboardConfig({});
  });

  it('reports a missing Template in the configuration', async () => {
    await harness.custom.deleteNamespacedCustomObject({
      ...API.template,
      namespace: harness.appsNamespace,
      name: 'nvidia-nim-runtime-grpc',
    });
    await harness.app.nimCache.waitFor((cache) => cache.getTemplate('grpc') === undefined);
    const config = configResponseSchema.parse((await harness.call({ url: API_PATHS.config })).body);
    expect(config.templates.map((t) => [t.protocol, t.installed])).toEqual([
      ['http', true],
      ['grpc', false],
    ]);
    const ns = await createProject(harness);
    const deploy = await harness.call({
      method: 'POST',
      url: deploymentsPath(ns),
      body: deployBody({ protocol: 'grpc' }),
    });
    expect(deploy.status).toBe(409);
    expect(deploy.body).toMatchObject({
      code: 'template-not-found',
      field: 'protocol',
      failedStep: 'validate',
    });
    expect((await listProjectObjects(harness, ns)).secrets).toEqual([]);
  });

  it('publishes an OpenAPI description of every route', async () => {
    const response = await harness.call({ url: API_PATHS.openapi, as: 'anonymous' });
    expect(response.status).toBe(200);
    const doc = response.body as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/api/nim/config',
        '/api/nim/models',
        '/api/nim/validate-key',
        '/api/namespaces/{ns}/nim/api-key',
        '/api/namespaces/{ns}/nim/deployments',
        '/api/namespaces/{ns}/nim/deployments/{name}',
        '/api/projects',
        '/api/whoami',
      ].sort(),
    );
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const response = await harness.call({ url: '/api/nope' });
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'not-found' });
  });

  it('serves models from memory: no apiserver call per request', async () => {
    // Revoke the backend's own read access: a handler that called the apiserver would now fail.
    await harness.admin.makeApiClient(RbacAuthorizationV1Api).deleteNamespacedRoleBinding({
      namespace: harness.appsNamespace,
      name: 'nim-dashboard-reader-system-serviceaccount-nim-tests-odh-dashboard',
    });
    for (let i = 0; i < 20; i++) {
      const response = await harness.call({ url: API_PATHS.models, forwarded: i % 2 === 0 });
      expect(response.status).toBe(200);
      expect(modelsResponseSchema.parse(response.body).models).toHaveLength(180);
    }
  });
});
